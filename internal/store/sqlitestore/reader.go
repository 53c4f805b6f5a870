package sqlitestore

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"byline/internal/news"
)

var _ news.ReaderStore = (*Store)(nil)

const readerCols = `id, provider, subject, name, email, avatar_url, created_at, banned_until, shadow, shadow_until, ban_clause`

func scanReader(sc interface{ Scan(...any) error }) (news.Reader, error) {
	var r news.Reader
	var created int64
	var banned, shadowUntil sql.NullInt64
	err := sc.Scan(&r.ID, &r.Provider, &r.Subject, &r.Name, &r.Email, &r.AvatarURL, &created, &banned, &r.Shadow, &shadowUntil, &r.BanClause)
	r.CreatedAt = time.UnixMilli(created).UTC()
	r.BannedUntil, r.ShadowUntil = fromMS(banned), fromMS(shadowUntil)
	return r, err
}

// UpsertReader finds or creates a reader by provider and subject.
func (s *Store) UpsertReader(ctx context.Context, r *news.Reader) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = time.Now().UTC()
	}
	row := s.w.QueryRowContext(ctx, `INSERT INTO readers(provider, subject, name, email, avatar_url, created_at) VALUES (?,?,?,?,?,?)
		ON CONFLICT(provider, subject) DO UPDATE SET name = excluded.name, email = excluded.email, avatar_url = excluded.avatar_url
		RETURNING `+readerCols, r.Provider, r.Subject, r.Name, r.Email, r.AvatarURL, r.CreatedAt.UnixMilli())
	got, err := scanReader(row)
	if err != nil {
		return err
	}
	*r = got
	return nil
}

// ReaderByID loads a reader.
func (s *Store) ReaderByID(ctx context.Context, id int64) (news.Reader, error) {
	r, err := scanReader(s.r.QueryRowContext(ctx, `SELECT `+readerCols+` FROM readers WHERE id = ?`, id))
	return r, notFoundOr(err, "reader")
}

// ListReaders lists readers, newest first.
func (s *Store) ListReaders(ctx context.Context, limit, offset int) ([]news.Reader, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+readerCols+` FROM readers ORDER BY id DESC LIMIT ? OFFSET ?`, limit, offset)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []news.Reader
	for rows.Next() {
		r, err := scanReader(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// BanReader sets or clears a reader's ban.
func (s *Store) BanReader(ctx context.Context, id int64, until time.Time, shadow bool, shadowUntil time.Time, clause string) error {
	res, err := s.w.ExecContext(ctx, `UPDATE readers SET banned_until = ?, shadow = ?, shadow_until = ?, ban_clause = ? WHERE id = ?`,
		ms(until), shadow, ms(shadowUntil), clause, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.NotFound("reader")
	}
	return nil
}

// DeleteReader removes a reader and their comments in one transaction:
// comments that have replies stay as "deleted" stubs with neither text
// nor name (policy: your words go, the conversation others had stays
// readable); recommendations and reports by the reader go too.
func (s *Store) DeleteReader(ctx context.Context, id int64) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT `+commentCols+` FROM comments c WHERE c.reader_id = ? ORDER BY c.parent_id IS NULL, c.id`, id)
	if err != nil {
		return err
	}
	var mine []news.Comment
	for rows.Next() {
		c, err := scanComment(rows)
		if err != nil {
			rows.Close()
			return err
		}
		mine = append(mine, c)
	}
	rows.Close()
	// Replies first (ordered so), so parents' reply counts are right when
	// we decide whether a parent keeps a stub.
	for _, c := range mine {
		if err := adjustCounts(ctx, tx, c, -commentCounts(c)); err != nil {
			return err
		}
		var replies int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM comments WHERE parent_id = ?`, c.ID).Scan(&replies); err != nil {
			return err
		}
		if replies > 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE comments SET status = 'deleted', body = '', author_name = '[deleted]', reader_id = NULL, ip_hash = '' WHERE id = ?`, c.ID); err != nil {
				return err
			}
		} else if _, err := tx.ExecContext(ctx, `DELETE FROM comments WHERE id = ?`, c.ID); err != nil {
			return err
		}
	}
	// Replies no longer name the deleted reader.
	var name string
	if err := tx.QueryRowContext(ctx, `SELECT name FROM readers WHERE id = ?`, id).Scan(&name); err != nil {
		return notFoundOr(err, "reader")
	}
	if _, err := tx.ExecContext(ctx, `UPDATE comments SET reply_to = '' WHERE reply_to = ? AND parent_id IN (SELECT id FROM comments WHERE article_id IN
		(SELECT DISTINCT article_id FROM comments WHERE reader_id = ? OR author_name = '[deleted]'))`, name, id); err != nil {
		return err
	}
	// Recommendations by this reader no longer count.
	if _, err := tx.ExecContext(ctx, `UPDATE comments SET recommends = recommends - (SELECT COUNT(*) FROM comment_recommends r WHERE r.comment_id = comments.id AND r.reader_id = ?)
		WHERE id IN (SELECT comment_id FROM comment_recommends WHERE reader_id = ?)`, id, id); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM readers WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.NotFound("reader")
	}
	return tx.Commit()
}

// CreateReaderSession stores a session by the hash of its token.
func (s *Store) CreateReaderSession(ctx context.Context, tokenHash string, readerID int64, expires time.Time) error {
	_, err := s.w.ExecContext(ctx, `INSERT INTO reader_sessions(token_hash, reader_id, created_at, expires_at) VALUES (?,?,?,?)`,
		tokenHash, readerID, time.Now().UnixMilli(), expires.UnixMilli())
	return err
}

// ReaderBySession finds the reader of a live session.
func (s *Store) ReaderBySession(ctx context.Context, tokenHash string, now time.Time) (news.Reader, error) {
	st, err := s.prepared(ctx, s.r, sessionQuery)
	if err != nil {
		return news.Reader{}, err
	}
	r, err := scanReader(st.QueryRowContext(ctx, tokenHash, now.UnixMilli()))
	return r, notFoundOr(err, "session")
}

var sessionQuery = `SELECT ` + prefixCols("r.", readerCols) + ` FROM reader_sessions x JOIN readers r ON r.id = x.reader_id
	WHERE x.token_hash = ? AND x.expires_at > ?`

func prefixCols(p, cols string) string {
	parts := strings.Split(cols, ",")
	for i := range parts {
		parts[i] = p + strings.TrimSpace(parts[i])
	}
	return strings.Join(parts, ", ")
}

// DeleteReaderSession ends a session.
func (s *Store) DeleteReaderSession(ctx context.Context, tokenHash string) error {
	_, err := s.w.ExecContext(ctx, `DELETE FROM reader_sessions WHERE token_hash = ?`, tokenHash)
	return err
}

// SaveLoginState stores a sign-in in progress (and sweeps old ones).
func (s *Store) SaveLoginState(ctx context.Context, st news.LoginState) error {
	if _, err := s.w.ExecContext(ctx, `DELETE FROM reader_login_states WHERE expires_at < ?`, time.Now().UnixMilli()); err != nil {
		return err
	}
	_, err := s.w.ExecContext(ctx, `INSERT INTO reader_login_states(state, provider, verifier, nonce, return_to, subject, name, expires_at) VALUES (?,?,?,?,?,?,?,?)`,
		st.State, st.Provider, st.Verifier, st.Nonce, st.ReturnTo, st.Subject, st.Name, st.ExpiresAt.UnixMilli())
	return err
}

// TakeLoginState returns a live state once.
func (s *Store) TakeLoginState(ctx context.Context, state string, now time.Time) (news.LoginState, error) {
	var st news.LoginState
	var exp int64
	err := s.w.QueryRowContext(ctx, `DELETE FROM reader_login_states WHERE state = ? RETURNING state, provider, verifier, nonce, return_to, subject, name, expires_at`, state).
		Scan(&st.State, &st.Provider, &st.Verifier, &st.Nonce, &st.ReturnTo, &st.Subject, &st.Name, &exp)
	if err != nil {
		return st, notFoundOr(err, "sign-in")
	}
	st.ExpiresAt = time.UnixMilli(exp).UTC()
	if !st.ExpiresAt.After(now) {
		return st, news.NotFound("sign-in")
	}
	return st, nil
}
