package store

import (
	"context"
	"database/sql"
	"time"

	"byline/internal/news"
)

const readerCols = `id, provider, subject, name, email, avatar_url, created_at, banned_until, shadow, shadow_until, ban_clause, notice_email, notice_off, lang`

func scanReader(sc interface{ Scan(...any) error }) (news.Reader, error) {
	var r news.Reader
	err := sc.Scan(&r.ID, &r.Provider, &r.Subject, &r.Name, &r.Email, &r.AvatarURL, Time(&r.CreatedAt), Time(&r.BannedUntil), &r.Shadow, Time(&r.ShadowUntil), &r.BanClause, &r.NoticeEmail, &r.NoticeOff, &r.Lang)
	return r, err
}

// UpsertReader finds or creates a reader by provider and subject.
func (db *DB) UpsertReader(ctx context.Context, r *news.Reader) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = time.Now().UTC()
	}
	// A verified address from the provider becomes the notice address
	// only while the reader has none and has not unsubscribed.
	got, err := scanReader(db.WriteRow(ctx, `INSERT INTO readers(provider, subject, name, email, avatar_url, created_at, notice_email, lang) VALUES (?,?,?,?,?,?,?,?)
		ON CONFLICT (provider, subject) DO UPDATE SET name = excluded.name, email = excluded.email, avatar_url = excluded.avatar_url,
			notice_email = CASE WHEN readers.notice_email = '' AND readers.notice_off = FALSE THEN excluded.notice_email ELSE readers.notice_email END,
			lang = CASE WHEN excluded.lang <> '' THEN excluded.lang ELSE readers.lang END
		RETURNING `+readerCols, r.Provider, r.Subject, r.Name, r.Email, r.AvatarURL, r.CreatedAt, r.NoticeEmail, r.Lang))
	if err != nil {
		return err
	}
	*r = got
	return nil
}

// ReaderByID loads a reader.
func (db *DB) ReaderByID(ctx context.Context, id int64) (news.Reader, error) {
	r, err := scanReader(db.QueryRow(ctx, `SELECT `+readerCols+` FROM readers WHERE id = ?`, id))
	return r, notFoundOr(err, "reader")
}

// ListReaders lists readers, newest first.
func (db *DB) ListReaders(ctx context.Context, limit, offset int) ([]news.Reader, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	rows, err := db.Query(ctx, `SELECT `+readerCols+` FROM readers ORDER BY id DESC LIMIT ? OFFSET ?`, limit, offset)
	return collect(rows, err, func(r *sql.Rows) (news.Reader, error) { return scanReader(r) })
}

// BanReader sets or clears a reader's ban.
func (db *DB) BanReader(ctx context.Context, id int64, until time.Time, shadow bool, shadowUntil time.Time, clause string) error {
	return db.InTx(ctx, func(tx Tx) error { return banReader(ctx, tx, id, until, shadow, shadowUntil, clause) })
}

// DecideBan sets or clears a reader's ban and appends the decision e to
// the moderation log, in one transaction.
func (db *DB) DecideBan(ctx context.Context, id int64, until time.Time, shadow bool, shadowUntil time.Time, clause string, e *news.ModerationEntry) error {
	if err := e.ValidateDecision(); err != nil {
		return err
	}
	return db.InTx(ctx, func(tx Tx) error {
		if err := banReader(ctx, tx, id, until, shadow, shadowUntil, clause); err != nil {
			return err
		}
		e.ReaderID = id
		return appendModEntry(ctx, tx, e)
	})
}

func banReader(ctx context.Context, tx Tx, id int64, until time.Time, shadow bool, shadowUntil time.Time, clause string) error {
	res, err := tx.Exec(ctx, `UPDATE readers SET banned_until = ?, shadow = ?, shadow_until = ?, ban_clause = ? WHERE id = ?`,
		until, shadow, shadowUntil, clause, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.NotFound("reader")
	}
	return nil
}

// CreateReaderSession stores a session by the hash of its token.
func (db *DB) CreateReaderSession(ctx context.Context, tokenHash string, readerID int64, expires time.Time) error {
	_, err := db.Exec(ctx, `INSERT INTO reader_sessions(token_hash, reader_id, created_at, expires_at) VALUES (?,?,?,?)`,
		tokenHash, readerID, time.Now(), expires)
	return err
}

const sessionQuery = `SELECT r.id, r.provider, r.subject, r.name, r.email, r.avatar_url, r.created_at, r.banned_until, r.shadow, r.shadow_until, r.ban_clause, r.notice_email, r.notice_off, r.lang
	FROM reader_sessions x JOIN readers r ON r.id = x.reader_id WHERE x.token_hash = ? AND x.expires_at > ?`

// ReaderBySession finds the reader of a live session. Every signed-in
// request asks it (see hotRow).
func (db *DB) ReaderBySession(ctx context.Context, tokenHash string, now time.Time) (news.Reader, error) {
	row, err := db.hotRow(ctx, sessionQuery, tokenHash, now)
	if err != nil {
		return news.Reader{}, err
	}
	r, err := scanReader(row)
	return r, notFoundOr(err, "session")
}

// DeleteReaderSession ends a session.
func (db *DB) DeleteReaderSession(ctx context.Context, tokenHash string) error {
	_, err := db.Exec(ctx, `DELETE FROM reader_sessions WHERE token_hash = ?`, tokenHash)
	return err
}

// SaveLoginState stores a sign-in in progress (and sweeps old ones).
func (db *DB) SaveLoginState(ctx context.Context, st news.LoginState) error {
	if _, err := db.Exec(ctx, `DELETE FROM reader_login_states WHERE expires_at < ?`, time.Now()); err != nil {
		return err
	}
	_, err := db.Exec(ctx, `INSERT INTO reader_login_states(state, provider, verifier, nonce, return_to, subject, name, expires_at) VALUES (?,?,?,?,?,?,?,?)`,
		st.State, st.Provider, st.Verifier, st.Nonce, st.ReturnTo, st.Subject, st.Name, st.ExpiresAt)
	return err
}

// TakeLoginState returns a live state once.
func (db *DB) TakeLoginState(ctx context.Context, state string, now time.Time) (news.LoginState, error) {
	var st news.LoginState
	err := db.WriteRow(ctx, `DELETE FROM reader_login_states WHERE state = ? RETURNING state, provider, verifier, nonce, return_to, subject, name, expires_at`, state).
		Scan(&st.State, &st.Provider, &st.Verifier, &st.Nonce, &st.ReturnTo, &st.Subject, &st.Name, Time(&st.ExpiresAt))
	if err != nil {
		return st, notFoundOr(err, "sign-in")
	}
	if !st.ExpiresAt.After(now) {
		return st, news.NotFound("sign-in")
	}
	return st, nil
}
