package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"byline/internal/news"
)

// Drafts of changes to published articles (news.PendingStore).

const pendingCols = `article_id, base_version, seq, user_id, user_name, saved_at, publish_at, snapshot`

func scanPending(sc interface{ Scan(...any) error }) (news.PendingDraft, error) {
	var d news.PendingDraft
	var snap string
	if err := sc.Scan(&d.ArticleID, &d.BaseVersion, &d.Seq, &d.UserID, &d.UserName, Time(&d.SavedAt), Time(&d.PublishAt), &snap); err != nil {
		return d, err
	}
	if err := json.Unmarshal([]byte(snap), &d.Snapshot); err != nil {
		return d, fmt.Errorf("decode draft of changes of article %d: %w", d.ArticleID, err)
	}
	return d, nil
}

// PutPendingDraft stores a draft of changes if d.Seq names the stored one
// (0: none stored yet).
func (db *DB) PutPendingDraft(ctx context.Context, d *news.PendingDraft) error {
	if d.ArticleID <= 0 {
		return news.NotFound("article")
	}
	snap, err := json.Marshal(d.Snapshot)
	if err != nil {
		return fmt.Errorf("encode draft of changes: %w", err)
	}
	saved := d.SavedAt
	if saved.IsZero() {
		saved = now()
	}
	var res sql.Result
	if d.Seq == 0 {
		res, err = db.Exec(ctx, `INSERT INTO pending_drafts(`+pendingCols+`) VALUES (?,?,1,?,?,?,?,?)
			ON CONFLICT (article_id) DO NOTHING`,
			d.ArticleID, d.BaseVersion, d.UserID, d.UserName, saved, d.PublishAt, string(snap))
	} else {
		res, err = db.Exec(ctx, `UPDATE pending_drafts SET base_version = ?, seq = seq + 1, user_id = ?, user_name = ?,
			saved_at = ?, publish_at = ?, snapshot = ? WHERE article_id = ? AND seq = ?`,
			d.BaseVersion, d.UserID, d.UserName, saved, d.PublishAt, string(snap), d.ArticleID, d.Seq)
	}
	if db.isForeignKey(err) {
		return news.NotFound("article")
	}
	if err != nil {
		return fmt.Errorf("save draft of changes: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if d.Seq != 0 {
			if _, err := db.PendingDraft(ctx, d.ArticleID); news.IsNotFound(err) {
				return news.Errorf(news.KindConflict, "the draft of changes was published or discarded since you opened the article; your changes were not saved")
			}
		}
		return news.Errorf(news.KindConflict, "someone else saved a draft of changes to this article since you opened it; your changes were not saved")
	}
	d.Seq++
	d.SavedAt = saved
	return nil
}

// PendingDraft loads an article's draft of changes.
func (db *DB) PendingDraft(ctx context.Context, articleID int64) (news.PendingDraft, error) {
	d, err := scanPending(db.QueryRow(ctx, `SELECT `+pendingCols+` FROM pending_drafts WHERE article_id = ?`, articleID))
	return d, notFoundOr(err, "draft of changes")
}

// DeletePendingDraft removes the draft of changes saved as seq.
func (db *DB) DeletePendingDraft(ctx context.Context, articleID int64, seq int) error {
	res, err := db.Exec(ctx, `DELETE FROM pending_drafts WHERE article_id = ? AND seq = ?`, articleID, seq)
	if err != nil {
		return fmt.Errorf("delete draft of changes: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := db.PendingDraft(ctx, articleID); err != nil {
			return err
		}
		return news.Errorf(news.KindConflict, "the draft of changes was saved again since you opened it")
	}
	return nil
}

// ClaimDuePendingDrafts unschedules due drafts and returns them. The
// UPDATE re-checks publish_at under the row lock, so of several servers
// racing only one sees each row still scheduled.
func (db *DB) ClaimDuePendingDrafts(ctx context.Context, at time.Time) ([]news.PendingDraft, error) {
	var out []news.PendingDraft
	err := db.InTx(ctx, func(tx Tx) error {
		rows, err := tx.Query(ctx, `UPDATE pending_drafts SET publish_at = NULL
			WHERE publish_at IS NOT NULL AND publish_at <= ? RETURNING `+pendingCols, at)
		out, err = collect(rows, err, func(r *sql.Rows) (news.PendingDraft, error) { return scanPending(r) })
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("claim due drafts of changes: %w", err)
	}
	return out, nil
}

// ListPendingDrafts lists the most recently saved drafts of changes and
// counts them all.
func (db *DB) ListPendingDrafts(ctx context.Context, limit int) ([]news.PendingDraft, int, error) {
	var total int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM pending_drafts`).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count drafts of changes: %w", err)
	}
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	rows, err := db.Query(ctx, `SELECT `+pendingCols+` FROM pending_drafts ORDER BY saved_at DESC, article_id DESC LIMIT ?`, limit)
	out, err := collect(rows, err, func(r *sql.Rows) (news.PendingDraft, error) { return scanPending(r) })
	if err != nil {
		return nil, 0, fmt.Errorf("list drafts of changes: %w", err)
	}
	return out, total, nil
}

// NextPendingDue is the earliest scheduled draft of changes.
func (db *DB) NextPendingDue(ctx context.Context) (time.Time, error) {
	var t time.Time
	err := db.QueryRow(ctx, `SELECT min(publish_at) FROM pending_drafts WHERE publish_at IS NOT NULL`).Scan(Time(&t))
	if err != nil {
		return time.Time{}, fmt.Errorf("next due draft of changes: %w", err)
	}
	return t, nil
}
