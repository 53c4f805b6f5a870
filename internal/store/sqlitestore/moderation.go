package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"

	"byline/internal/news"
)

var _ news.ModerationStore = (*Store)(nil)

// CommentSettings returns the saved settings or the defaults.
func (s *Store) CommentSettings(ctx context.Context) (news.CommentSettings, error) {
	st := news.DefaultCommentSettings()
	var body string
	err := s.r.QueryRowContext(ctx, `SELECT body FROM comment_settings WHERE id = 1`).Scan(&body)
	if err == sql.ErrNoRows {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	return st, json.Unmarshal([]byte(body), &st)
}

// SaveCommentSettings replaces the settings.
func (s *Store) SaveCommentSettings(ctx context.Context, st news.CommentSettings) error {
	if err := st.Validate(); err != nil {
		return err
	}
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	_, err = s.w.ExecContext(ctx, `INSERT INTO comment_settings(id, body) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET body = excluded.body`, string(b))
	return err
}
