package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"byline/internal/news"
)

const appealCols = `id, decision_id, COALESCE(comment_id, 0), reader_id, reason, status, reviewer, reply, outcome_id, created_at, decided_at`

func scanAppeal(r interface{ Scan(...any) error }) (news.Appeal, error) {
	var a news.Appeal
	err := r.Scan(&a.ID, &a.DecisionID, &a.CommentID, &a.ReaderID, &a.Reason, &a.Status, &a.Reviewer, &a.Reply, &a.OutcomeID, Time(&a.CreatedAt), Time(&a.DecidedAt))
	return a, err
}

// CreateAppeal stores an appeal (one per decision: again is KindConflict)
// and its line in the moderation log, together.
func (db *DB) CreateAppeal(ctx context.Context, a *news.Appeal, e *news.ModerationEntry) error {
	if err := a.Validate(); err != nil {
		return err
	}
	a.Status = news.AppealOpen
	return db.InTx(ctx, func(tx Tx) error {
		id, err := tx.Insert(ctx, `INSERT INTO mod_appeals(decision_id, comment_id, reader_id, reason, status, reviewer, reply, outcome_id, created_at)
			VALUES (?, ?, ?, ?, ?, '', '', '', ?) RETURNING id`, a.DecisionID, nullID(a.CommentID), a.ReaderID, a.Reason, string(a.Status), a.CreatedAt)
		if db.isUnique(err) {
			return news.Errorf(news.KindConflict, "this decision has already been appealed")
		}
		if err != nil {
			return fmt.Errorf("create appeal: %w", err)
		}
		a.ID = id
		return appendModEntry(ctx, tx, e)
	})
}

// AppealByID loads an appeal.
func (db *DB) AppealByID(ctx context.Context, id int64) (news.Appeal, error) {
	a, err := scanAppeal(db.QueryRow(ctx, `SELECT `+appealCols+` FROM mod_appeals WHERE id = ?`, id))
	return a, notFoundOr(err, "appeal")
}

// Appeals lists appeals of a status ("" for all), oldest first.
func (db *DB) Appeals(ctx context.Context, status news.AppealStatus, limit, offset int) ([]news.Appeal, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	rows, err := db.Query(ctx, `SELECT `+appealCols+` FROM mod_appeals WHERE (? = '' OR status = ?) ORDER BY id LIMIT ? OFFSET ?`, string(status), string(status), limit, offset)
	return collect(rows, err, func(r *sql.Rows) (news.Appeal, error) { return scanAppeal(r) })
}

// ReaderAppeals lists a reader's appeals, newest first.
func (db *DB) ReaderAppeals(ctx context.Context, readerID int64) ([]news.Appeal, error) {
	rows, err := db.Query(ctx, `SELECT `+appealCols+` FROM mod_appeals WHERE reader_id = ? ORDER BY id DESC LIMIT 500`, readerID)
	return collect(rows, err, func(r *sql.Rows) (news.Appeal, error) { return scanAppeal(r) })
}

// AppealsOfDecisionsBy lists appeals decided since since against
// decisions actor made, newest first.
func (db *DB) AppealsOfDecisionsBy(ctx context.Context, actor string, since time.Time, limit int) ([]news.Appeal, error) {
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	rows, err := db.Query(ctx, `SELECT `+appealCols+` FROM mod_appeals WHERE status <> 'open' AND decided_at >= ?
		AND decision_id IN (SELECT decision_id FROM moderation_log WHERE actor = ? AND decision_id <> '')
		ORDER BY decided_at DESC, id DESC LIMIT ?`, since, actor, limit)
	return collect(rows, err, func(r *sql.Rows) (news.Appeal, error) { return scanAppeal(r) })
}

// DecideAppeal closes an open appeal with status and reply and appends
// the review's entry e to the log; a reversal also restores the comment
// (published again, counted again) — all in one transaction, so a
// reversal is never half done. The original decision stays in the log.
func (db *DB) DecideAppeal(ctx context.Context, id int64, status news.AppealStatus, reviewer, reply string, e *news.ModerationEntry) error {
	if status != news.AppealUpheld && status != news.AppealReversed {
		return news.Invalid("outcome", "an appeal is upheld or reversed")
	}
	if err := e.ValidateDecision(); err != nil {
		return err
	}
	return db.InTx(ctx, func(tx Tx) error {
		a, err := scanAppeal(tx.QueryRow(ctx, `SELECT `+appealCols+` FROM mod_appeals WHERE id = ?`, id))
		if err != nil {
			return notFoundOr(err, "appeal")
		}
		if a.Status != news.AppealOpen {
			return news.Errorf(news.KindConflict, "this appeal was already decided (%s)", a.Status)
		}
		res, err := tx.Exec(ctx, `UPDATE mod_appeals SET status = ?, reviewer = ?, reply = ?, outcome_id = ?, decided_at = ? WHERE id = ? AND status = 'open'`,
			string(status), reviewer, reply, e.DecisionID, e.CreatedAt, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return news.Errorf(news.KindConflict, "this appeal was already decided")
		}
		if status == news.AppealReversed && a.CommentID != 0 {
			if err := restoreComment(ctx, tx, a.CommentID); err != nil {
				return err
			}
		}
		if status == news.AppealReversed && a.CommentID == 0 {
			if err := liftBan(ctx, tx, a); err != nil {
				return err
			}
		}
		return appendModEntry(ctx, tx, e)
	})
}

// banActions are the log entries that set or lift a reader's ban.
const banActions = `('ban', 'shadow-ban', 'unban')`

// ReaderBanDecision is the reader's latest ban entry.
func (db *DB) ReaderBanDecision(ctx context.Context, readerID int64) (news.ModerationEntry, error) {
	e, err := scanModEntry(db.QueryRow(ctx, `SELECT `+modLogCols+` FROM moderation_log
		WHERE reader_id = ? AND action IN `+banActions+` ORDER BY id DESC LIMIT 1`, readerID))
	return e, notFoundOr(err, "ban")
}

// liftBan ends the ban an appeal reversed, in the reversal's transaction,
// when that ban is still the reader's latest (a later ban, or an unban,
// is another decision and stays).
func liftBan(ctx context.Context, tx Tx, a news.Appeal) error {
	var action, latest string
	err := tx.QueryRow(ctx, `SELECT action FROM moderation_log WHERE decision_id = ?`, a.DecisionID).Scan(&action)
	if err != nil {
		return notFoundOr(err, "decision")
	}
	if action != "ban" && action != "shadow-ban" {
		return nil
	}
	err = tx.QueryRow(ctx, `SELECT decision_id FROM moderation_log WHERE reader_id = ? AND action IN `+banActions+` ORDER BY id DESC LIMIT 1`,
		a.ReaderID).Scan(&latest)
	if err != nil {
		return notFoundOr(err, "ban")
	}
	if latest != a.DecisionID {
		return nil
	}
	_, err = tx.Exec(ctx, `UPDATE readers SET banned_until = NULL, shadow = FALSE, shadow_until = NULL, ban_clause = '' WHERE id = ?`, a.ReaderID)
	return err
}

// restoreComment publishes a comment again after a reversed decision,
// keeping the article's and the thread's counts right.
func restoreComment(ctx context.Context, tx Tx, id int64) error {
	var articleID, parentID int64
	var status string
	var shadow bool
	err := tx.QueryRow(ctx, `SELECT article_id, COALESCE(parent_id, 0), status, shadow FROM comments WHERE id = ?`, id).Scan(&articleID, &parentID, &status, &shadow)
	if err != nil {
		return notFoundOr(err, "comment")
	}
	switch news.CommentStatus(status) {
	case news.CommentApproved:
		return nil
	case news.CommentDeleted:
		return news.Errorf(news.KindConflict, "the writer deleted this comment; there is nothing to restore")
	}
	if _, err := tx.Exec(ctx, `UPDATE comments SET status = 'approved', clause = '' WHERE id = ?`, id); err != nil {
		return err
	}
	if shadow {
		return nil
	}
	if _, err := tx.Exec(ctx, `UPDATE articles SET comment_count = comment_count + 1 WHERE id = ?`, articleID); err != nil {
		return err
	}
	if parentID != 0 {
		if _, err := tx.Exec(ctx, `UPDATE comments SET reply_count = reply_count + 1 WHERE id = ?`, parentID); err != nil {
			return err
		}
	}
	return nil
}
