package pgstore

// The newsroom's storage (news.NewsroomStore): staff, sessions, API
// tokens, login throttling, revisions, redirects and the claim of due
// scheduled articles. It mirrors sqlitestore's staff/session/token/
// revision/redirect/editorial files.

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"byline/internal/news"
)

var _ news.NewsroomStore = (*Store)(nil)

const staffCols = `id, email, name, role, password_hash, disabled, totp_secret, COALESCE(author_id, 0), created_at`

func scanStaff(sc pgx.Row) (news.StaffUser, error) {
	var u news.StaffUser
	var created time.Time
	err := sc.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.PasswordHash, &u.Disabled, &u.TOTPSecret, &u.AuthorID, &created)
	u.CreatedAt = created.UTC()
	return u, err
}

// CreateStaff adds a newsroom account; a taken e-mail is a conflict.
func (s *Store) CreateStaff(ctx context.Context, u *news.StaffUser) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if u.CreatedAt.IsZero() {
		u.CreatedAt = now()
	}
	err := s.pool.QueryRow(ctx, `INSERT INTO staff_users(email, name, role, password_hash, disabled, totp_secret, author_id, created_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id`,
		u.Email, u.Name, string(u.Role), u.PasswordHash, u.Disabled, u.TOTPSecret, nullID(u.AuthorID), ts(u.CreatedAt)).Scan(&u.ID)
	if isUnique(err) {
		return news.Errorf(news.KindConflict, "an account for %s already exists", u.Email)
	}
	if err != nil {
		return fmt.Errorf("create staff user: %w", err)
	}
	return nil
}

// UpdateStaff saves every field of an account but its creation time.
func (s *Store) UpdateStaff(ctx context.Context, u *news.StaffUser) error {
	if err := u.Validate(); err != nil {
		return err
	}
	tag, err := s.pool.Exec(ctx, `UPDATE staff_users SET email=$1, name=$2, role=$3, password_hash=$4, disabled=$5, totp_secret=$6, author_id=$7 WHERE id=$8`,
		u.Email, u.Name, string(u.Role), u.PasswordHash, u.Disabled, u.TOTPSecret, nullID(u.AuthorID), u.ID)
	if isUnique(err) {
		return news.Errorf(news.KindConflict, "an account for %s already exists", u.Email)
	}
	if err != nil {
		return fmt.Errorf("update staff user: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return news.NotFound("user")
	}
	return nil
}

// StaffByID loads an account.
func (s *Store) StaffByID(ctx context.Context, id int64) (news.StaffUser, error) {
	u, err := scanStaff(s.pool.QueryRow(ctx, `SELECT `+staffCols+` FROM staff_users WHERE id = $1`, id))
	return u, notFoundOr(err, "user")
}

// StaffByEmail loads an account by its (lowercased) e-mail.
func (s *Store) StaffByEmail(ctx context.Context, email string) (news.StaffUser, error) {
	u, err := scanStaff(s.pool.QueryRow(ctx, `SELECT `+staffCols+` FROM staff_users WHERE email = lower($1)`, email))
	return u, notFoundOr(err, "user")
}

// ListStaff lists every account by name.
func (s *Store) ListStaff(ctx context.Context) ([]news.StaffUser, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+staffCols+` FROM staff_users ORDER BY name COLLATE "C", id`)
	if err != nil {
		return nil, fmt.Errorf("list staff: %w", err)
	}
	return collect(rows, func(r pgx.CollectableRow) (news.StaffUser, error) { return scanStaff(r) })
}

// RecordLoginFailure counts one failed sign-in under key and forgets
// failures older than a day.
func (s *Store) RecordLoginFailure(ctx context.Context, key string, at time.Time) error {
	if _, err := s.pool.Exec(ctx, `INSERT INTO login_failures(key, at) VALUES ($1, $2)`, key, ts(at)); err != nil {
		return fmt.Errorf("record login failure: %w", err)
	}
	_, err := s.pool.Exec(ctx, `DELETE FROM login_failures WHERE at < $1`, ts(at.Add(-24*time.Hour)))
	return err
}

// CountLoginFailures counts failures under key since a time.
func (s *Store) CountLoginFailures(ctx context.Context, key string, since time.Time) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM login_failures WHERE key = $1 AND at >= $2`, key, ts(since)).Scan(&n)
	return n, err
}

// ClearLoginFailures forgets the failures under key.
func (s *Store) ClearLoginFailures(ctx context.Context, key string) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM login_failures WHERE key = $1`, key)
	return err
}

// CreateSession stores a signed-in session.
func (s *Store) CreateSession(ctx context.Context, se *news.Session) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO staff_sessions(id_hash, user_id, csrf_token, created_at, last_seen_at, ip, user_agent) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
		se.IDHash, se.UserID, se.CSRFToken, ts(se.CreatedAt), ts(se.LastSeenAt), se.IP, se.UserAgent)
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// SessionByHash loads a session by the hash of its id.
func (s *Store) SessionByHash(ctx context.Context, hash string) (news.Session, error) {
	var se news.Session
	err := s.pool.QueryRow(ctx, `SELECT id_hash, user_id, csrf_token, created_at, last_seen_at, ip, user_agent FROM staff_sessions WHERE id_hash = $1`, hash).
		Scan(&se.IDHash, &se.UserID, &se.CSRFToken, &se.CreatedAt, &se.LastSeenAt, &se.IP, &se.UserAgent)
	if err != nil {
		return se, notFoundOr(err, "session")
	}
	se.CreatedAt, se.LastSeenAt = se.CreatedAt.UTC(), se.LastSeenAt.UTC()
	return se, nil
}

// TouchSession records activity (for the idle timeout).
func (s *Store) TouchSession(ctx context.Context, hash string, at time.Time) error {
	_, err := s.pool.Exec(ctx, `UPDATE staff_sessions SET last_seen_at = $1 WHERE id_hash = $2`, ts(at), hash)
	return err
}

// DeleteSession ends one session.
func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM staff_sessions WHERE id_hash = $1`, hash)
	return err
}

// DeleteUserSessions ends every session of a user.
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM staff_sessions WHERE user_id = $1`, userID)
	return err
}

// DeleteExpiredSessions removes sessions past their idle or absolute
// lifetime.
func (s *Store) DeleteExpiredSessions(ctx context.Context, idleBefore, createdBefore time.Time) (int, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM staff_sessions WHERE last_seen_at < $1 OR created_at < $2`, ts(idleBefore), ts(createdBefore))
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	return int(tag.RowsAffected()), nil
}

// CreateToken stores an API token's hash.
func (s *Store) CreateToken(ctx context.Context, t *news.APIToken) error {
	if t.CreatedAt.IsZero() {
		t.CreatedAt = now()
	}
	err := s.pool.QueryRow(ctx, `INSERT INTO api_tokens(user_id, name, token_hash, created_at) VALUES ($1,$2,$3,$4) RETURNING id`,
		t.UserID, t.Name, t.Hash, ts(t.CreatedAt)).Scan(&t.ID)
	if err != nil {
		switch c, _ := pgCode(err); c {
		case uniqueViolation:
			return news.Errorf(news.KindConflict, "token exists")
		case foreignKeyViolation:
			return news.NotFound("user")
		}
		return fmt.Errorf("create token: %w", err)
	}
	return nil
}

const tokenCols = `id, user_id, name, token_hash, created_at, last_used_at, revoked`

func scanToken(sc pgx.Row) (news.APIToken, error) {
	var t news.APIToken
	var used *time.Time
	err := sc.Scan(&t.ID, &t.UserID, &t.Name, &t.Hash, &t.CreatedAt, &used, &t.Revoked)
	t.CreatedAt = t.CreatedAt.UTC()
	t.LastUsedAt = fromTS(used)
	return t, err
}

// TokenByHash finds a token (revoked ones too; the caller checks).
func (s *Store) TokenByHash(ctx context.Context, hash string) (news.APIToken, error) {
	t, err := scanToken(s.pool.QueryRow(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE token_hash = $1`, hash))
	return t, notFoundOr(err, "token")
}

// ListTokens lists a user's tokens, newest first.
func (s *Store) ListTokens(ctx context.Context, userID int64) ([]news.APIToken, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE user_id = $1 ORDER BY id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	return collect(rows, func(r pgx.CollectableRow) (news.APIToken, error) { return scanToken(r) })
}

// RevokeToken makes a token useless.
func (s *Store) RevokeToken(ctx context.Context, id int64) error {
	tag, err := s.pool.Exec(ctx, `UPDATE api_tokens SET revoked = true WHERE id = $1`, id)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return news.NotFound("token")
	}
	return nil
}

// AddRevision stores a full snapshot of an article.
func (s *Store) AddRevision(ctx context.Context, r *news.Revision) error {
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
	err = s.pool.QueryRow(ctx, `INSERT INTO revisions(article_id, user_id, user_name, note, created_at, snapshot) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id`,
		r.ArticleID, r.UserID, r.UserName, r.Note, ts(r.CreatedAt), string(snap)).Scan(&r.ID)
	if err != nil {
		if c, _ := pgCode(err); c == foreignKeyViolation {
			return news.NotFound("article")
		}
		return fmt.Errorf("add revision: %w", err)
	}
	return nil
}

func scanRevision(sc pgx.Row) (news.Revision, error) {
	var r news.Revision
	var snap []byte
	if err := sc.Scan(&r.ID, &r.ArticleID, &r.UserID, &r.UserName, &r.Note, &r.CreatedAt, &snap); err != nil {
		return r, err
	}
	r.CreatedAt = r.CreatedAt.UTC()
	if err := json.Unmarshal(snap, &r.Snapshot); err != nil {
		return r, fmt.Errorf("decode revision %d: %w", r.ID, err)
	}
	return r, nil
}

const revisionCols = `id, article_id, user_id, user_name, note, created_at, snapshot::text`

// ListRevisions lists an article's revisions, newest first.
func (s *Store) ListRevisions(ctx context.Context, articleID int64) ([]news.Revision, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+revisionCols+` FROM revisions WHERE article_id = $1 ORDER BY id DESC`, articleID)
	if err != nil {
		return nil, fmt.Errorf("list revisions: %w", err)
	}
	return collect(rows, func(r pgx.CollectableRow) (news.Revision, error) { return scanRevision(r) })
}

// RevisionByID loads one revision.
func (s *Store) RevisionByID(ctx context.Context, id int64) (news.Revision, error) {
	r, err := scanRevision(s.pool.QueryRow(ctx, `SELECT `+revisionCols+` FROM revisions WHERE id = $1`, id))
	return r, notFoundOr(err, "revision")
}

// PutRedirect makes from redirect to to, never forming chains (see the
// SQLite engine).
func (s *Store) PutRedirect(ctx context.Context, from, to string) error {
	if !strings.HasPrefix(from, "/") || !strings.HasPrefix(to, "/") || len(from) > 2000 || len(to) > 2000 {
		return news.Invalid("path", "redirect paths must start with /")
	}
	if from == to {
		return news.Invalid("path", "a redirect cannot point at itself")
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO redirects(from_path, to_path, created_at) VALUES ($1, $2, $3)
			ON CONFLICT (from_path) DO UPDATE SET to_path = excluded.to_path, created_at = excluded.created_at`, from, to, ts(now())); err != nil {
			return fmt.Errorf("put redirect: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE redirects SET to_path = $1 WHERE to_path = $2`, to, from); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM redirects WHERE from_path = $1 OR from_path = to_path`, to)
		return err
	})
}

// RedirectFor finds where an old path now lives.
func (s *Store) RedirectFor(ctx context.Context, from string) (string, error) {
	var to string
	err := s.pool.QueryRow(ctx, `SELECT to_path FROM redirects WHERE from_path = $1`, from).Scan(&to)
	return to, notFoundOr(err, "redirect")
}

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
