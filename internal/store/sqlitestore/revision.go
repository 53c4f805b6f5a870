package sqlitestore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"byline/internal/news"
)

// AddRevision stores a full snapshot of an article.
func (s *Store) AddRevision(ctx context.Context, r *news.Revision) error {
	snap, err := json.Marshal(r.Snapshot)
	if err != nil {
		return fmt.Errorf("encode revision: %w", err)
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = time.Now().UTC()
	}
	if r.ArticleID == 0 {
		r.ArticleID = r.Snapshot.ID
	}
	res, err := s.w.ExecContext(ctx, `INSERT INTO revisions(article_id, user_id, user_name, note, created_at, snapshot) VALUES (?,?,?,?,?,?)`,
		r.ArticleID, r.UserID, r.UserName, r.Note, r.CreatedAt.UnixMilli(), string(snap))
	if err != nil {
		if isForeignKey(err) {
			return news.NotFound("article")
		}
		return fmt.Errorf("add revision: %w", err)
	}
	r.ID, _ = res.LastInsertId()
	return nil
}

func scanRevision(sc interface{ Scan(...any) error }) (news.Revision, error) {
	var r news.Revision
	var created int64
	var snap string
	if err := sc.Scan(&r.ID, &r.ArticleID, &r.UserID, &r.UserName, &r.Note, &created, &snap); err != nil {
		return r, err
	}
	r.CreatedAt = time.UnixMilli(created).UTC()
	if err := json.Unmarshal([]byte(snap), &r.Snapshot); err != nil {
		return r, fmt.Errorf("decode revision %d: %w", r.ID, err)
	}
	return r, nil
}

// ListRevisions lists an article's revisions, newest first.
func (s *Store) ListRevisions(ctx context.Context, articleID int64) ([]news.Revision, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, article_id, user_id, user_name, note, created_at, snapshot FROM revisions WHERE article_id = ? ORDER BY id DESC`, articleID)
	if err != nil {
		return nil, fmt.Errorf("list revisions: %w", err)
	}
	defer rows.Close()
	var out []news.Revision
	for rows.Next() {
		r, err := scanRevision(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// RevisionByID loads one revision.
func (s *Store) RevisionByID(ctx context.Context, id int64) (news.Revision, error) {
	r, err := scanRevision(s.r.QueryRowContext(ctx, `SELECT id, article_id, user_id, user_name, note, created_at, snapshot FROM revisions WHERE id = ?`, id))
	return r, notFoundOr(err, "revision")
}
