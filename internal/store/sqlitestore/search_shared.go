package sqlitestore

import (
	"context"
	"strings"
	"time"

	"byline/internal/news"
	"byline/internal/store"
)

// What search.go shares with the article queries, which are written once
// in internal/store; this file goes when search moves there too.

var listCols = store.ArticleCols

func scanArticle(sc interface{ Scan(...any) error }, withBody bool) (news.Article, error) {
	return store.ScanArticle(sc, withBody)
}

func (s *Store) fillRelations(ctx context.Context, list []news.Article) error {
	return s.DB.FillRelations(ctx, list)
}

type whereBuilder struct {
	conds []string
	args  []any
}

func (q *whereBuilder) visible(now time.Time) {
	q.add(`a.status = 'published' AND a.published_at <= ? AND (a.embargo_until IS NULL OR a.embargo_until <= ?)`, now.UnixMilli(), now.UnixMilli())
}

func (q *whereBuilder) add(cond string, args ...any) {
	q.conds = append(q.conds, cond)
	q.args = append(q.args, args...)
}

func (q *whereBuilder) in(col string, ids []int64) {
	if len(ids) == 0 {
		return
	}
	ph := strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	q.add(col+` IN (`+ph+`)`, args...)
}

func (q *whereBuilder) String() string {
	if len(q.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(q.conds, " AND ")
}

var clampLimit = store.ClampLimit
