package pgstore

import (
	"context"
	"fmt"

	"byline/internal/news"
)

var _ news.OwnershipStore = (*Store)(nil)

// SetArticleOwner records the staff member who created an article.
func (s *Store) SetArticleOwner(ctx context.Context, articleID, userID int64) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO article_owners(article_id, user_id) VALUES ($1, $2)
		ON CONFLICT (article_id) DO UPDATE SET user_id = excluded.user_id`, articleID, userID)
	if c, _ := pgCode(err); c == foreignKeyViolation {
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
	err := s.pool.QueryRow(ctx, `SELECT user_id FROM article_owners WHERE article_id = $1`, articleID).Scan(&id)
	return id, notFoundOr(err, "article owner")
}
