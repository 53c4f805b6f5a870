package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

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

// AddModerationEntry appends to the audit log.
func (s *Store) AddModerationEntry(ctx context.Context, e *news.ModerationEntry) error {
	if e.CreatedAt.IsZero() {
		e.CreatedAt = time.Now().UTC()
	}
	res, err := s.w.ExecContext(ctx, `INSERT INTO moderation_log(actor, action, comment_id, reader_id, article_id, clause, note, created_at) VALUES (?,?,?,?,?,?,?,?)`,
		e.Actor, e.Action, nullID(e.CommentID), nullID(e.ReaderID), nullID(e.ArticleID), e.Clause, e.Note, e.CreatedAt.UnixMilli())
	if err != nil {
		return err
	}
	e.ID, _ = res.LastInsertId()
	return nil
}

// ModerationLog lists the audit log, newest first.
func (s *Store) ModerationLog(ctx context.Context, limit, offset int) ([]news.ModerationEntry, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	rows, err := s.r.QueryContext(ctx, `SELECT id, actor, action, COALESCE(comment_id, 0), COALESCE(reader_id, 0), COALESCE(article_id, 0), clause, note, created_at
		FROM moderation_log ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, limit, offset)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []news.ModerationEntry
	for rows.Next() {
		var e news.ModerationEntry
		var created int64
		if err := rows.Scan(&e.ID, &e.Actor, &e.Action, &e.CommentID, &e.ReaderID, &e.ArticleID, &e.Clause, &e.Note, &created); err != nil {
			return nil, err
		}
		e.CreatedAt = time.UnixMilli(created).UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}
