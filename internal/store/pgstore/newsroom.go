package pgstore

// The newsroom's storage (news.NewsroomStore): staff, sessions, API
// tokens, login throttling, revisions, redirects and the claim of due
// scheduled articles. It mirrors sqlitestore's staff/session/token/
// revision/redirect/editorial files.

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"byline/internal/news"
)

var _ news.NewsroomStore = (*Store)(nil)

// PublishDue claims and publishes every scheduled article whose time has
// come. FOR UPDATE SKIP LOCKED lets several servers run it at once: each
// row is locked by one of them, and the others skip it, so every article
// is returned exactly once.
func (s *Store) PublishDue(ctx context.Context, at time.Time) ([]int64, error) {
	rows, err := s.pool.Query(ctx, `UPDATE articles SET status = 'published', version = version + 1, modified_at = $1,
		embargo_until = CASE WHEN embargo_until <= $1 THEN NULL ELSE embargo_until END
		WHERE id IN (SELECT id FROM articles WHERE status = 'scheduled' AND published_at <= $1 FOR UPDATE SKIP LOCKED)
		AND status = 'scheduled' RETURNING id`, ts(at))
	if err != nil {
		return nil, fmt.Errorf("publish due articles: %w", err)
	}
	return collect(rows, pgx.RowTo[int64])
}

// LiftEmbargoes claims published articles whose embargo has passed (FOR
// UPDATE SKIP LOCKED, as PublishDue) and clears the embargo, so each is
// returned to exactly one caller across servers.
func (s *Store) LiftEmbargoes(ctx context.Context, at time.Time) ([]int64, error) {
	rows, err := s.pool.Query(ctx, `UPDATE articles SET embargo_until = NULL, version = version + 1
		WHERE id IN (SELECT id FROM articles WHERE embargo_until IS NOT NULL AND embargo_until <= $1 AND status = 'published'
			FOR UPDATE SKIP LOCKED)
		AND embargo_until IS NOT NULL RETURNING id`, ts(at))
	if err != nil {
		return nil, fmt.Errorf("lift embargoes: %w", err)
	}
	return collect(rows, pgx.RowTo[int64])
}

// NextDue is the earliest scheduled publication or embargo end.
func (s *Store) NextDue(ctx context.Context) (time.Time, error) {
	var next *time.Time
	err := s.pool.QueryRow(ctx, `SELECT least(
		(SELECT min(published_at) FROM articles WHERE status = 'scheduled'),
		(SELECT min(embargo_until) FROM articles WHERE embargo_until IS NOT NULL AND status = 'published'))`).Scan(&next)
	if err != nil {
		return time.Time{}, fmt.Errorf("next due time: %w", err)
	}
	return fromTS(next), nil
}
