package sqlitestore

import (
	"context"
	"fmt"
	"strings"

	"byline/internal/news"
)

var _ news.OwnershipStore = (*Store)(nil)

// SetArticleOwner records the staff member who created an article.
func (s *Store) SetArticleOwner(ctx context.Context, articleID, userID int64) error {
	_, err := s.w.ExecContext(ctx, `INSERT INTO article_owners(article_id, user_id) VALUES (?, ?)
		ON CONFLICT(article_id) DO UPDATE SET user_id = excluded.user_id`, articleID, userID)
	if err != nil && strings.Contains(err.Error(), "FOREIGN KEY") {
		return news.NotFound("article")
	}
	if err != nil {
		return fmt.Errorf("set article owner: %w", err)
	}
	return nil
}

// ArticleOwner is the staff id that created an article.
func (s *Store) ArticleOwner(ctx context.Context, articleID int64) (int64, error) {
	var id int64
	err := s.r.QueryRowContext(ctx, `SELECT user_id FROM article_owners WHERE article_id = ?`, articleID).Scan(&id)
	return id, notFoundOr(err, "article owner")
}
