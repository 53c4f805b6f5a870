package sqlitestore

import (
	"context"
	"fmt"
	"time"

	"byline/internal/news"
)

// ListVisibleAfter pages through visible articles by (published_at, id):
// keyset paging stays stable while new articles are published, and costs
// the same on page 1000 as on page 1.
func (s *Store) ListVisibleAfter(ctx context.Context, q news.CursorQuery) ([]news.Article, error) {
	now := q.Now
	if now.IsZero() {
		now = time.Now()
	}
	var w whereBuilder
	w.visible(now)
	w.in("a.section_id", q.SectionIDs)
	if q.Tag != "" {
		w.add(`a.id IN (SELECT article_id FROM article_tags WHERE tag = ?)`, news.NormalizeTag(q.Tag))
	}
	if q.AuthorID != 0 {
		w.add(`a.id IN (SELECT article_id FROM article_authors WHERE author_id = ?)`, q.AuthorID)
	}
	if !q.Since.IsZero() {
		w.add(`a.published_at >= ?`, q.Since.UnixMilli())
	}
	if !q.Until.IsZero() {
		w.add(`a.published_at < ?`, q.Until.UnixMilli())
	}
	if q.After != nil {
		p := q.After.PublishedAt.UnixMilli()
		w.add(`(a.published_at < ? OR (a.published_at = ? AND a.id < ?))`, p, p, q.After.ID)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+listCols+` FROM articles a JOIN sections s ON s.id = a.section_id`+w.String()+
		` ORDER BY a.published_at DESC, a.id DESC LIMIT ?`, append(w.args, clampLimit(q.Limit, 20, 100))...)
	if err != nil {
		return nil, fmt.Errorf("list articles: %w", err)
	}
	defer rows.Close()
	var out []news.Article
	for rows.Next() {
		a, err := scanArticle(rows, false)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, s.fillRelations(ctx, out)
}

var _ news.ContentStore = (*Store)(nil)
