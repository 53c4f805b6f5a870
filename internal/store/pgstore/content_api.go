package pgstore

import (
	"context"
	"fmt"
	"time"

	"byline/internal/news"

	"github.com/jackc/pgx/v5"
)

// The Content API's keyset paging (its SQLite twin is sqlitestore's
// content_api.go); media, webhooks and imports are in internal/store.

var (
	_ news.MediaStore   = (*Store)(nil)
	_ news.ImportStore  = (*Store)(nil)
	_ news.ContentStore = (*Store)(nil)
)

// ListVisibleAfter pages through visible articles by (published_at, id).
func (s *Store) ListVisibleAfter(ctx context.Context, q news.CursorQuery) ([]news.Article, error) {
	t := q.Now
	if t.IsZero() {
		t = time.Now()
	}
	var w where
	w.visible(t)
	if len(q.SectionIDs) > 0 {
		w.add(`a.section_id = ANY(` + w.arg(q.SectionIDs) + `)`)
	}
	if q.Tag != "" {
		w.add(`a.id IN (SELECT article_id FROM article_tags WHERE tag = ` + w.arg(news.NormalizeTag(q.Tag)) + `)`)
	}
	if q.AuthorID != 0 {
		w.add(`a.id IN (SELECT article_id FROM article_authors WHERE author_id = ` + w.arg(q.AuthorID) + `)`)
	}
	if !q.Since.IsZero() {
		w.add(`a.published_at >= ` + w.arg(ts(q.Since)))
	}
	if !q.Until.IsZero() {
		w.add(`a.published_at < ` + w.arg(ts(q.Until)))
	}
	if q.After != nil {
		w.add(`(a.published_at, a.id) < (` + w.arg(ts(q.After.PublishedAt)) + `, ` + w.arg(q.After.ID) + `)`)
	}
	cond := w.String()
	limit := ` LIMIT ` + w.arg(clampLimit(q.Limit, 20, 100))
	rows, err := s.pool.Query(ctx, `SELECT `+listCols+` FROM articles a JOIN sections s ON s.id = a.section_id`+cond+
		` ORDER BY a.published_at DESC, a.id DESC`+limit, w.args...)
	if err != nil {
		return nil, fmt.Errorf("list articles: %w", err)
	}
	out, err := collect(rows, func(r pgx.CollectableRow) (news.Article, error) { return scanArticle(r, false) })
	if err != nil {
		return nil, fmt.Errorf("list articles: %w", err)
	}
	return out, s.fillRelations(ctx, out)
}
