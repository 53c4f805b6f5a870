package sqlitestore

import (
	"context"
	"fmt"
	"time"

	"byline/internal/news"
)

// CreateSession stores a signed-in session.
func (s *Store) CreateSession(ctx context.Context, se *news.Session) error {
	_, err := s.w.ExecContext(ctx, `INSERT INTO staff_sessions(id_hash, user_id, csrf_token, created_at, last_seen_at, ip, user_agent) VALUES (?,?,?,?,?,?,?)`,
		se.IDHash, se.UserID, se.CSRFToken, se.CreatedAt.UnixMilli(), se.LastSeenAt.UnixMilli(), se.IP, se.UserAgent)
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// SessionByHash loads a session by the hash of its id.
func (s *Store) SessionByHash(ctx context.Context, hash string) (news.Session, error) {
	var se news.Session
	var created, seen int64
	err := s.r.QueryRowContext(ctx, `SELECT id_hash, user_id, csrf_token, created_at, last_seen_at, ip, user_agent FROM staff_sessions WHERE id_hash = ?`, hash).
		Scan(&se.IDHash, &se.UserID, &se.CSRFToken, &created, &seen, &se.IP, &se.UserAgent)
	if err != nil {
		return se, notFoundOr(err, "session")
	}
	se.CreatedAt = time.UnixMilli(created).UTC()
	se.LastSeenAt = time.UnixMilli(seen).UTC()
	return se, nil
}

// TouchSession records activity (for the idle timeout).
func (s *Store) TouchSession(ctx context.Context, hash string, at time.Time) error {
	_, err := s.w.ExecContext(ctx, `UPDATE staff_sessions SET last_seen_at = ? WHERE id_hash = ?`, at.UnixMilli(), hash)
	return err
}

// DeleteSession ends one session.
func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	_, err := s.w.ExecContext(ctx, `DELETE FROM staff_sessions WHERE id_hash = ?`, hash)
	return err
}

// DeleteUserSessions ends every session of a user.
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64) error {
	_, err := s.w.ExecContext(ctx, `DELETE FROM staff_sessions WHERE user_id = ?`, userID)
	return err
}

// DeleteExpiredSessions removes sessions past their idle or absolute
// lifetime.
func (s *Store) DeleteExpiredSessions(ctx context.Context, idleBefore, createdBefore time.Time) (int, error) {
	res, err := s.w.ExecContext(ctx, `DELETE FROM staff_sessions WHERE last_seen_at < ? OR created_at < ?`, idleBefore.UnixMilli(), createdBefore.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
