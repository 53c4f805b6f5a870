package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"byline/internal/news"
)

// CreateToken stores an API token's hash.
func (s *Store) CreateToken(ctx context.Context, t *news.APIToken) error {
	if t.CreatedAt.IsZero() {
		t.CreatedAt = time.Now().UTC()
	}
	res, err := s.w.ExecContext(ctx, `INSERT INTO api_tokens(user_id, name, token_hash, created_at) VALUES (?,?,?,?)`, t.UserID, t.Name, t.Hash, t.CreatedAt.UnixMilli())
	if err != nil {
		if isUnique(err) {
			return news.Errorf(news.KindConflict, "token exists")
		}
		if isForeignKey(err) {
			return news.NotFound("user")
		}
		return fmt.Errorf("create token: %w", err)
	}
	t.ID, _ = res.LastInsertId()
	return nil
}

const tokenCols = `id, user_id, name, token_hash, created_at, last_used_at, revoked`

func scanToken(sc interface{ Scan(...any) error }) (news.APIToken, error) {
	var t news.APIToken
	var created int64
	var used sql.NullInt64
	err := sc.Scan(&t.ID, &t.UserID, &t.Name, &t.Hash, &created, &used, &t.Revoked)
	t.CreatedAt = time.UnixMilli(created).UTC()
	t.LastUsedAt = fromMS(used)
	return t, err
}

// TokenByHash finds a token (revoked ones too; the caller checks).
func (s *Store) TokenByHash(ctx context.Context, hash string) (news.APIToken, error) {
	t, err := scanToken(s.r.QueryRowContext(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE token_hash = ?`, hash))
	return t, notFoundOr(err, "token")
}

// ListTokens lists a user's tokens, newest first.
func (s *Store) ListTokens(ctx context.Context, userID int64) ([]news.APIToken, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE user_id = ? ORDER BY id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	var out []news.APIToken
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken makes a token useless.
func (s *Store) RevokeToken(ctx context.Context, id int64) error {
	res, err := s.w.ExecContext(ctx, `UPDATE api_tokens SET revoked = 1 WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.NotFound("token")
	}
	return nil
}
