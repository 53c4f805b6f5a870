package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"byline/internal/news"
)

// now is the current time as both engines keep it: UTC, to the
// millisecond.
func now() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }

const staffCols = `id, email, name, role, password_hash, disabled, totp_secret, COALESCE(author_id, 0), created_at`

func scanStaff(sc interface{ Scan(...any) error }) (news.StaffUser, error) {
	var u news.StaffUser
	err := sc.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.PasswordHash, &u.Disabled, &u.TOTPSecret, &u.AuthorID, Time(&u.CreatedAt))
	return u, err
}

// CreateStaff adds a newsroom account; a taken e-mail is a conflict.
func (db *DB) CreateStaff(ctx context.Context, u *news.StaffUser) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if u.CreatedAt.IsZero() {
		u.CreatedAt = now()
	}
	id, err := db.Insert(ctx, `INSERT INTO staff_users(email, name, role, password_hash, disabled, totp_secret, author_id, created_at)
		VALUES (?,?,?,?,?,?,?,?) RETURNING id`,
		u.Email, u.Name, string(u.Role), u.PasswordHash, u.Disabled, u.TOTPSecret, nullID(u.AuthorID), u.CreatedAt)
	if db.isUnique(err) {
		return news.Errorf(news.KindConflict, "an account for %s already exists", u.Email)
	}
	if err != nil {
		return fmt.Errorf("create staff user: %w", err)
	}
	u.ID = id
	return nil
}

// UpdateStaff saves every field of an account but its creation time.
func (db *DB) UpdateStaff(ctx context.Context, u *news.StaffUser) error {
	if err := u.Validate(); err != nil {
		return err
	}
	res, err := db.Exec(ctx, `UPDATE staff_users SET email=?, name=?, role=?, password_hash=?, disabled=?, totp_secret=?, author_id=? WHERE id=?`,
		u.Email, u.Name, string(u.Role), u.PasswordHash, u.Disabled, u.TOTPSecret, nullID(u.AuthorID), u.ID)
	if db.isUnique(err) {
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
func (db *DB) StaffByID(ctx context.Context, id int64) (news.StaffUser, error) {
	u, err := scanStaff(db.QueryRow(ctx, `SELECT `+staffCols+` FROM staff_users WHERE id = ?`, id))
	return u, notFoundOr(err, "user")
}

// StaffByEmail loads an account by its (lowercased) e-mail.
func (db *DB) StaffByEmail(ctx context.Context, email string) (news.StaffUser, error) {
	u, err := scanStaff(db.QueryRow(ctx, `SELECT `+staffCols+` FROM staff_users WHERE email = lower(?)`, email))
	return u, notFoundOr(err, "user")
}

// ListStaff lists every account by name.
func (db *DB) ListStaff(ctx context.Context) ([]news.StaffUser, error) {
	rows, err := db.Query(ctx, `SELECT `+staffCols+` FROM staff_users ORDER BY name COLLATE "C", id`)
	out, err := collect(rows, err, func(r *sql.Rows) (news.StaffUser, error) { return scanStaff(r) })
	if err != nil {
		return nil, fmt.Errorf("list staff: %w", err)
	}
	return out, nil
}

// RecordLoginFailure counts one failed sign-in under key, and forgets
// failures older than a day while it is there.
func (db *DB) RecordLoginFailure(ctx context.Context, key string, at time.Time) error {
	if _, err := db.Exec(ctx, `INSERT INTO login_failures(key, at) VALUES (?, ?)`, key, at); err != nil {
		return fmt.Errorf("record login failure: %w", err)
	}
	_, err := db.Exec(ctx, `DELETE FROM login_failures WHERE at < ?`, at.Add(-24*time.Hour))
	return err
}

// CountLoginFailures counts failures under key since a time.
func (db *DB) CountLoginFailures(ctx context.Context, key string, since time.Time) (int, error) {
	var n int
	err := db.QueryRow(ctx, `SELECT count(*) FROM login_failures WHERE key = ? AND at >= ?`, key, since).Scan(&n)
	return n, err
}

// ClearLoginFailures forgets the failures under key (after a success).
func (db *DB) ClearLoginFailures(ctx context.Context, key string) error {
	_, err := db.Exec(ctx, `DELETE FROM login_failures WHERE key = ?`, key)
	return err
}

// CreateSession stores a signed-in session.
func (db *DB) CreateSession(ctx context.Context, se *news.Session) error {
	_, err := db.Exec(ctx, `INSERT INTO staff_sessions(id_hash, user_id, csrf_token, created_at, last_seen_at, ip, user_agent) VALUES (?,?,?,?,?,?,?)`,
		se.IDHash, se.UserID, se.CSRFToken, se.CreatedAt, se.LastSeenAt, se.IP, se.UserAgent)
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// SessionByHash loads a session by the hash of its id.
func (db *DB) SessionByHash(ctx context.Context, hash string) (news.Session, error) {
	var se news.Session
	err := db.QueryRow(ctx, `SELECT id_hash, user_id, csrf_token, created_at, last_seen_at, ip, user_agent FROM staff_sessions WHERE id_hash = ?`, hash).
		Scan(&se.IDHash, &se.UserID, &se.CSRFToken, Time(&se.CreatedAt), Time(&se.LastSeenAt), &se.IP, &se.UserAgent)
	return se, notFoundOr(err, "session")
}

// TouchSession records activity (for the idle timeout).
func (db *DB) TouchSession(ctx context.Context, hash string, at time.Time) error {
	_, err := db.Exec(ctx, `UPDATE staff_sessions SET last_seen_at = ? WHERE id_hash = ?`, at, hash)
	return err
}

// DeleteSession ends one session.
func (db *DB) DeleteSession(ctx context.Context, hash string) error {
	_, err := db.Exec(ctx, `DELETE FROM staff_sessions WHERE id_hash = ?`, hash)
	return err
}

// DeleteUserSessions ends every session of a user.
func (db *DB) DeleteUserSessions(ctx context.Context, userID int64) error {
	_, err := db.Exec(ctx, `DELETE FROM staff_sessions WHERE user_id = ?`, userID)
	return err
}

// DeleteExpiredSessions removes sessions past their idle or absolute
// lifetime.
func (db *DB) DeleteExpiredSessions(ctx context.Context, idleBefore, createdBefore time.Time) (int, error) {
	res, err := db.Exec(ctx, `DELETE FROM staff_sessions WHERE last_seen_at < ? OR created_at < ?`, idleBefore, createdBefore)
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// CreateToken stores an API token's hash.
func (db *DB) CreateToken(ctx context.Context, t *news.APIToken) error {
	if t.CreatedAt.IsZero() {
		t.CreatedAt = now()
	}
	id, err := db.Insert(ctx, `INSERT INTO api_tokens(user_id, name, token_hash, created_at) VALUES (?,?,?,?) RETURNING id`,
		t.UserID, t.Name, t.Hash, t.CreatedAt)
	switch {
	case db.isUnique(err):
		return news.Errorf(news.KindConflict, "token exists")
	case db.isForeignKey(err):
		return news.NotFound("user")
	case err != nil:
		return fmt.Errorf("create token: %w", err)
	}
	t.ID = id
	return nil
}

const tokenCols = `id, user_id, name, token_hash, created_at, last_used_at, revoked`

func scanToken(sc interface{ Scan(...any) error }) (news.APIToken, error) {
	var t news.APIToken
	err := sc.Scan(&t.ID, &t.UserID, &t.Name, &t.Hash, Time(&t.CreatedAt), Time(&t.LastUsedAt), &t.Revoked)
	return t, err
}

// TokenByHash finds a token (revoked ones too; the caller checks).
func (db *DB) TokenByHash(ctx context.Context, hash string) (news.APIToken, error) {
	t, err := scanToken(db.QueryRow(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE token_hash = ?`, hash))
	return t, notFoundOr(err, "token")
}

// ListTokens lists a user's tokens, newest first.
func (db *DB) ListTokens(ctx context.Context, userID int64) ([]news.APIToken, error) {
	rows, err := db.Query(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE user_id = ? ORDER BY id DESC`, userID)
	out, err := collect(rows, err, func(r *sql.Rows) (news.APIToken, error) { return scanToken(r) })
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	return out, nil
}

// RevokeToken makes a token useless.
func (db *DB) RevokeToken(ctx context.Context, id int64) error {
	res, err := db.Exec(ctx, `UPDATE api_tokens SET revoked = TRUE WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.NotFound("token")
	}
	return nil
}

// AddRevision stores a full snapshot of an article.
func (db *DB) AddRevision(ctx context.Context, r *news.Revision) error {
	snap, err := json.Marshal(r.Snapshot)
	if err != nil {
		return fmt.Errorf("encode revision: %w", err)
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = now()
	}
	if r.ArticleID == 0 {
		r.ArticleID = r.Snapshot.ID
	}
	id, err := db.Insert(ctx, `INSERT INTO revisions(article_id, user_id, user_name, note, created_at, snapshot) VALUES (?,?,?,?,?,?) RETURNING id`,
		r.ArticleID, r.UserID, r.UserName, r.Note, r.CreatedAt, string(snap))
	if db.isForeignKey(err) {
		return news.NotFound("article")
	}
	if err != nil {
		return fmt.Errorf("add revision: %w", err)
	}
	r.ID = id
	return nil
}

// The snapshot is JSON text in SQLite and jsonb in PostgreSQL; CAST gives
// text from both.
const revisionCols = `id, article_id, user_id, user_name, note, created_at, CAST(snapshot AS TEXT)`

func scanRevision(sc interface{ Scan(...any) error }) (news.Revision, error) {
	var r news.Revision
	var snap string
	if err := sc.Scan(&r.ID, &r.ArticleID, &r.UserID, &r.UserName, &r.Note, Time(&r.CreatedAt), &snap); err != nil {
		return r, err
	}
	if err := json.Unmarshal([]byte(snap), &r.Snapshot); err != nil {
		return r, fmt.Errorf("decode revision %d: %w", r.ID, err)
	}
	return r, nil
}

// ListRevisions lists an article's revisions, newest first.
func (db *DB) ListRevisions(ctx context.Context, articleID int64) ([]news.Revision, error) {
	rows, err := db.Query(ctx, `SELECT `+revisionCols+` FROM revisions WHERE article_id = ? ORDER BY id DESC`, articleID)
	out, err := collect(rows, err, func(r *sql.Rows) (news.Revision, error) { return scanRevision(r) })
	if err != nil {
		return nil, fmt.Errorf("list revisions: %w", err)
	}
	return out, nil
}

// RevisionByID loads one revision.
func (db *DB) RevisionByID(ctx context.Context, id int64) (news.Revision, error) {
	r, err := scanRevision(db.QueryRow(ctx, `SELECT `+revisionCols+` FROM revisions WHERE id = ?`, id))
	return r, notFoundOr(err, "revision")
}

// PutRedirect makes from redirect to to. A redirect that would point at
// itself is refused, and old redirects that pointed at from now point at
// to directly, so chains never form.
func (db *DB) PutRedirect(ctx context.Context, from, to string) error {
	if err := (news.Redirect{From: from, To: to}).Validate(); err != nil {
		return err
	}
	return db.InTx(ctx, func(tx Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO redirects(from_path, to_path, created_at) VALUES (?, ?, ?)
			ON CONFLICT (from_path) DO UPDATE SET to_path = excluded.to_path, created_at = excluded.created_at`, from, to, now()); err != nil {
			return fmt.Errorf("put redirect: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE redirects SET to_path = ? WHERE to_path = ?`, to, from); err != nil {
			return err
		}
		// The new target is a live page again: it must not redirect away.
		_, err := tx.Exec(ctx, `DELETE FROM redirects WHERE from_path = ? OR from_path = to_path`, to)
		return err
	})
}

// RedirectFor finds where an old path now lives.
func (db *DB) RedirectFor(ctx context.Context, from string) (string, error) {
	var to string
	err := db.QueryRow(ctx, `SELECT to_path FROM redirects WHERE from_path = ?`, from).Scan(&to)
	return to, notFoundOr(err, "redirect")
}

// SetArticleOwner records the staff member who created an article.
func (db *DB) SetArticleOwner(ctx context.Context, articleID, userID int64) error {
	_, err := db.Exec(ctx, `INSERT INTO article_owners(article_id, user_id) VALUES (?, ?)
		ON CONFLICT (article_id) DO UPDATE SET user_id = excluded.user_id`, articleID, userID)
	if db.isForeignKey(err) {
		return news.NotFound("article")
	}
	if err != nil {
		return fmt.Errorf("set article owner: %w", err)
	}
	return nil
}

// ArticleOwner is the staff id that created an article.
func (db *DB) ArticleOwner(ctx context.Context, articleID int64) (int64, error) {
	var id int64
	err := db.QueryRow(ctx, `SELECT user_id FROM article_owners WHERE article_id = ?`, articleID).Scan(&id)
	return id, notFoundOr(err, "article owner")
}

// VisibilityChanged reports whether some article became visible, or its
// embargo ended, in the interval (since, until]: time alone changes what
// readers see then, so each server asks on a timer and refreshes its
// caches.
func (db *DB) VisibilityChanged(ctx context.Context, since, until time.Time) (bool, error) {
	var ok bool
	err := db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM articles WHERE status = 'published' AND
		((published_at > ? AND published_at <= ?) OR (embargo_until > ? AND embargo_until <= ?)))`,
		since, until, since, until).Scan(&ok)
	return ok, err
}
