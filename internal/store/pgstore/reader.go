package pgstore

import (
	"context"
	"time"

	"byline/internal/news"
)

var _ news.ReaderStore = (*Store)(nil)

const readerCols = `id, provider, subject, name, email, avatar_url, created_at, banned_until, shadow, shadow_until, ban_clause`

func scanReader(sc scanner) (news.Reader, error) {
	var r news.Reader
	var banned, shadowUntil *time.Time
	err := sc.Scan(&r.ID, &r.Provider, &r.Subject, &r.Name, &r.Email, &r.AvatarURL, &r.CreatedAt, &banned, &r.Shadow, &shadowUntil, &r.BanClause)
	r.CreatedAt = r.CreatedAt.UTC()
	r.BannedUntil, r.ShadowUntil = fromTS(banned), fromTS(shadowUntil)
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
	got, err := scanReader(s.pool.QueryRow(ctx, `INSERT INTO readers(provider, subject, name, email, avatar_url, created_at) VALUES ($1,$2,$3,$4,$5,$6)
		ON CONFLICT (provider, subject) DO UPDATE SET name = excluded.name, email = excluded.email, avatar_url = excluded.avatar_url
		RETURNING `+readerCols, r.Provider, r.Subject, r.Name, r.Email, r.AvatarURL, ts(r.CreatedAt)))
	if err != nil {
		return err
	}
	*r = got
	return nil
}

// ReaderByID loads a reader.
func (s *Store) ReaderByID(ctx context.Context, id int64) (news.Reader, error) {
	r, err := scanReader(s.pool.QueryRow(ctx, `SELECT `+readerCols+` FROM readers WHERE id = $1`, id))
	return r, notFoundOr(err, "reader")
}

// ListReaders lists readers, newest first.
func (s *Store) ListReaders(ctx context.Context, limit, offset int) ([]news.Reader, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	rows, err := s.pool.Query(ctx, `SELECT `+readerCols+` FROM readers ORDER BY id DESC LIMIT $1 OFFSET $2`, limit, offset)
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
	tag, err := s.pool.Exec(ctx, `UPDATE readers SET banned_until = $1, shadow = $2, shadow_until = $3, ban_clause = $4 WHERE id = $5`,
		ts(until), shadow, ts(shadowUntil), clause, id)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return news.NotFound("reader")
	}
	return nil
}

// DeleteReader removes a reader and their comments in one transaction
// (see the SQLite engine for the policy).
func (s *Store) DeleteReader(ctx context.Context, id int64) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	var name string
	if err := tx.QueryRow(ctx, `SELECT name FROM readers WHERE id = $1 FOR UPDATE`, id).Scan(&name); err != nil {
		return notFoundOr(err, "reader")
	}
	rows, err := tx.Query(ctx, `SELECT `+commentCols+` FROM comments c WHERE c.reader_id = $1 ORDER BY c.parent_id IS NULL, c.id`, id)
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
	if err := rows.Err(); err != nil {
		return err
	}
	var articles []int64
	seen := map[int64]bool{}
	for _, c := range mine {
		if !seen[c.ArticleID] {
			seen[c.ArticleID] = true
			articles = append(articles, c.ArticleID)
		}
		if err := adjustCounts(ctx, tx, c, -commentCounts(c)); err != nil {
			return err
		}
		var replies int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM comments WHERE parent_id = $1`, c.ID).Scan(&replies); err != nil {
			return err
		}
		if replies > 0 {
			if _, err := tx.Exec(ctx, `UPDATE comments SET status = 'deleted', body = '', author_name = '[deleted]', reader_id = NULL, ip_hash = '' WHERE id = $1`, c.ID); err != nil {
				return err
			}
		} else if _, err := tx.Exec(ctx, `DELETE FROM comments WHERE id = $1`, c.ID); err != nil {
			return err
		}
	}
	if len(articles) > 0 {
		if _, err := tx.Exec(ctx, `UPDATE comments SET reply_to = '' WHERE reply_to = $1 AND article_id = ANY($2)`, name, articles); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(ctx, `UPDATE comments SET recommends = recommends - 1
		WHERE id IN (SELECT comment_id FROM comment_recommends WHERE reader_id = $1)`, id); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM readers WHERE id = $1`, id); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// CreateReaderSession stores a session by the hash of its token.
func (s *Store) CreateReaderSession(ctx context.Context, tokenHash string, readerID int64, expires time.Time) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO reader_sessions(token_hash, reader_id, created_at, expires_at) VALUES ($1,$2,$3,$4)`,
		tokenHash, readerID, ts(time.Now()), ts(expires))
	return err
}

// ReaderBySession finds the reader of a live session.
func (s *Store) ReaderBySession(ctx context.Context, tokenHash string, now time.Time) (news.Reader, error) {
	r, err := scanReader(s.pool.QueryRow(ctx, `SELECT r.id, r.provider, r.subject, r.name, r.email, r.avatar_url, r.created_at, r.banned_until, r.shadow, r.shadow_until, r.ban_clause
		FROM reader_sessions x JOIN readers r ON r.id = x.reader_id WHERE x.token_hash = $1 AND x.expires_at > $2`, tokenHash, ts(now)))
	return r, notFoundOr(err, "session")
}

// DeleteReaderSession ends a session.
func (s *Store) DeleteReaderSession(ctx context.Context, tokenHash string) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM reader_sessions WHERE token_hash = $1`, tokenHash)
	return err
}

// SaveLoginState stores a sign-in in progress (and sweeps old ones).
func (s *Store) SaveLoginState(ctx context.Context, st news.LoginState) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM reader_login_states WHERE expires_at < $1`, ts(time.Now())); err != nil {
		return err
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO reader_login_states(state, provider, verifier, nonce, return_to, subject, name, expires_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
		st.State, st.Provider, st.Verifier, st.Nonce, st.ReturnTo, st.Subject, st.Name, ts(st.ExpiresAt))
	return err
}

// TakeLoginState returns a live state once.
func (s *Store) TakeLoginState(ctx context.Context, state string, now time.Time) (news.LoginState, error) {
	var st news.LoginState
	err := s.pool.QueryRow(ctx, `DELETE FROM reader_login_states WHERE state = $1 RETURNING state, provider, verifier, nonce, return_to, subject, name, expires_at`, state).
		Scan(&st.State, &st.Provider, &st.Verifier, &st.Nonce, &st.ReturnTo, &st.Subject, &st.Name, &st.ExpiresAt)
	if err != nil {
		return st, notFoundOr(err, "sign-in")
	}
	st.ExpiresAt = st.ExpiresAt.UTC()
	if !st.ExpiresAt.After(now) {
		return st, news.NotFound("sign-in")
	}
	return st, nil
}
