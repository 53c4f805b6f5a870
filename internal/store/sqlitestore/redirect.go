package sqlitestore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"byline/internal/news"
)

// PutRedirect makes from redirect to to. A redirect that would point at
// itself is refused, and old redirects that pointed at from now point at
// to directly, so chains never form.
func (s *Store) PutRedirect(ctx context.Context, from, to string) error {
	if !strings.HasPrefix(from, "/") || !strings.HasPrefix(to, "/") || len(from) > 2000 || len(to) > 2000 {
		return news.Invalid("path", "redirect paths must start with /")
	}
	if from == to {
		return news.Invalid("path", "a redirect cannot point at itself")
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO redirects(from_path, to_path, created_at) VALUES (?, ?, ?)
		ON CONFLICT(from_path) DO UPDATE SET to_path = excluded.to_path, created_at = excluded.created_at`, from, to, time.Now().UnixMilli()); err != nil {
		return fmt.Errorf("put redirect: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE redirects SET to_path = ? WHERE to_path = ?`, to, from); err != nil {
		return err
	}
	// The new target is a live page again: it must not redirect away.
	if _, err := tx.ExecContext(ctx, `DELETE FROM redirects WHERE from_path = ? OR from_path = to_path`, to); err != nil {
		return err
	}
	return tx.Commit()
}

// RedirectFor finds where an old path now lives.
func (s *Store) RedirectFor(ctx context.Context, from string) (string, error) {
	var to string
	err := s.r.QueryRowContext(ctx, `SELECT to_path FROM redirects WHERE from_path = ?`, from).Scan(&to)
	return to, notFoundOr(err, "redirect")
}
