package pgstore

import (
	"context"
	"strconv"
	"strings"
	"time"

	"byline/internal/news"
	"byline/internal/store"
)

// What search.go shares with the article queries, which are written once
// in internal/store; this file goes when search moves there too.

var listCols = store.ArticleCols

func scanArticle(sc interface{ Scan(...any) error }, withBody bool, extra ...any) (news.Article, error) {
	return store.ScanArticle(sc, withBody, extra...)
}

func (s *Store) fillRelations(ctx context.Context, list []news.Article) error {
	return s.DB.FillRelations(ctx, list)
}

// now is the engine's clock, to the millisecond that is stored.
func now() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }

// where builds a WHERE clause with numbered placeholders.
type where struct {
	conds []string
	args  []any
}

// arg adds a parameter and returns its placeholder.
func (w *where) arg(v any) string {
	w.args = append(w.args, v)
	return "$" + strconv.Itoa(len(w.args))
}

func (w *where) add(cond string) { w.conds = append(w.conds, cond) }

// visible is the condition for "readers may see it at now".
func (w *where) visible(now time.Time) {
	n := w.arg(ts(now))
	w.add(`a.status = 'published' AND a.published_at <= ` + n + ` AND (a.embargo_until IS NULL OR a.embargo_until <= ` + n + `)`)
}

func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

var clampLimit = store.ClampLimit
