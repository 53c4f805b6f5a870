package sqlitestore

import (
	"context"
	"fmt"
	"time"

	"byline/internal/news"
)

var _ news.NewsroomStore = (*Store)(nil)

const staffCols = `id, email, name, role, password_hash, disabled, totp_secret, COALESCE(author_id, 0), created_at`

func scanStaff(sc interface{ Scan(...any) error }) (news.StaffUser, error) {
	var u news.StaffUser
	var created int64
	err := sc.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.PasswordHash, &u.Disabled, &u.TOTPSecret, &u.AuthorID, &created)
	u.CreatedAt = time.UnixMilli(created).UTC()
	return u, err
}

// CreateStaff adds a newsroom account; a taken e-mail is a conflict.
func (s *Store) CreateStaff(ctx context.Context, u *news.StaffUser) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if u.CreatedAt.IsZero() {
		u.CreatedAt = time.Now().UTC()
	}
	res, err := s.w.ExecContext(ctx, `INSERT INTO staff_users(email, name, role, password_hash, disabled, totp_secret, author_id, created_at) VALUES (?,?,?,?,?,?,?,?)`,
		u.Email, u.Name, u.Role, u.PasswordHash, u.Disabled, u.TOTPSecret, nullID(u.AuthorID), u.CreatedAt.UnixMilli())
	if isUnique(err) {
		return news.Errorf(news.KindConflict, "an account for %s already exists", u.Email)
	}
	if err != nil {
		return fmt.Errorf("create staff user: %w", err)
	}
	u.ID, _ = res.LastInsertId()
	return nil
}

// UpdateStaff saves every field of an account but its creation time.
func (s *Store) UpdateStaff(ctx context.Context, u *news.StaffUser) error {
	if err := u.Validate(); err != nil {
		return err
	}
	res, err := s.w.ExecContext(ctx, `UPDATE staff_users SET email=?, name=?, role=?, password_hash=?, disabled=?, totp_secret=?, author_id=? WHERE id=?`,
		u.Email, u.Name, u.Role, u.PasswordHash, u.Disabled, u.TOTPSecret, nullID(u.AuthorID), u.ID)
	if isUnique(err) {
		return news.Errorf(news.KindConflict, "an account for %s already exists", u.Email)
	}
	if err != nil {
		return fmt.Errorf("update staff user: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.NotFound("user")
	}
	return nil
}

// StaffByID loads an account.
func (s *Store) StaffByID(ctx context.Context, id int64) (news.StaffUser, error) {
	u, err := scanStaff(s.r.QueryRowContext(ctx, `SELECT `+staffCols+` FROM staff_users WHERE id = ?`, id))
	return u, notFoundOr(err, "user")
}

// StaffByEmail loads an account by its (lowercased) e-mail.
func (s *Store) StaffByEmail(ctx context.Context, email string) (news.StaffUser, error) {
	u, err := scanStaff(s.r.QueryRowContext(ctx, `SELECT `+staffCols+` FROM staff_users WHERE email = lower(?)`, email))
	return u, notFoundOr(err, "user")
}

// ListStaff lists every account by name.
func (s *Store) ListStaff(ctx context.Context) ([]news.StaffUser, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+staffCols+` FROM staff_users ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("list staff: %w", err)
	}
	defer rows.Close()
	var out []news.StaffUser
	for rows.Next() {
		u, err := scanStaff(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// RecordLoginFailure counts one failed sign-in under key, and forgets
// failures older than a day while it is there.
func (s *Store) RecordLoginFailure(ctx context.Context, key string, at time.Time) error {
	if _, err := s.w.ExecContext(ctx, `INSERT INTO login_failures(key, at) VALUES (?, ?)`, key, at.UnixMilli()); err != nil {
		return fmt.Errorf("record login failure: %w", err)
	}
	_, err := s.w.ExecContext(ctx, `DELETE FROM login_failures WHERE at < ?`, at.Add(-24*time.Hour).UnixMilli())
	return err
}

// CountLoginFailures counts failures under key since a time.
func (s *Store) CountLoginFailures(ctx context.Context, key string, since time.Time) (int, error) {
	var n int
	err := s.w.QueryRowContext(ctx, `SELECT count(*) FROM login_failures WHERE key = ? AND at >= ?`, key, since.UnixMilli()).Scan(&n)
	return n, err
}

// ClearLoginFailures forgets the failures under key (after a success).
func (s *Store) ClearLoginFailures(ctx context.Context, key string) error {
	_, err := s.w.ExecContext(ctx, `DELETE FROM login_failures WHERE key = ?`, key)
	return err
}
