package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"byline/internal/news"
)

// modLogLock serialises appends to the moderation log: each entry's hash
// covers the one before it, so two servers must not append at once.
const modLogLock int64 = 0x62796c696e6517

const modLogCols = `id, actor, action, COALESCE(comment_id, 0), COALESCE(reader_id, 0), COALESCE(article_id, 0), clause, note, created_at,
	decision_id, policy_version, automatic, rule_id, rule_version, ref, prev_hash, hash`

func scanModEntry(r interface{ Scan(...any) error }) (news.ModerationEntry, error) {
	var e news.ModerationEntry
	err := r.Scan(&e.ID, &e.Actor, &e.Action, &e.CommentID, &e.ReaderID, &e.ArticleID, &e.Clause, &e.Note, Time(&e.CreatedAt),
		&e.DecisionID, &e.PolicyVersion, &e.Automatic, &e.RuleID, &e.RuleVersion, &e.Ref, &e.PrevHash, &e.Hash)
	return e, err
}

// AddModerationEntry appends to the hash-chained moderation log. A
// decision without its statement of reasons is refused.
func (db *DB) AddModerationEntry(ctx context.Context, e *news.ModerationEntry) error {
	if err := e.ValidateDecision(); err != nil {
		return err
	}
	return db.InTx(ctx, func(tx Tx) error { return appendModEntry(ctx, tx, e) })
}

// appendModEntry appends e inside tx (with whatever else tx changes, so
// that a decision and its effect commit together).
func appendModEntry(ctx context.Context, tx Tx, e *news.ModerationEntry) error {
	if e.CreatedAt.IsZero() {
		e.CreatedAt = time.Now()
	}
	e.CreatedAt = e.CreatedAt.UTC().Truncate(time.Millisecond)
	if err := tx.Lock(ctx, modLogLock); err != nil {
		return err
	}
	var prev string
	err := tx.QueryRow(ctx, `SELECT hash FROM moderation_log ORDER BY id DESC LIMIT 1`).Scan(&prev)
	if err != nil && err != sql.ErrNoRows {
		return fmt.Errorf("moderation log: %w", err)
	}
	e.PrevHash = prev
	e.Hash = e.ChainHash(prev)
	id, err := tx.Insert(ctx, `INSERT INTO moderation_log(actor, action, comment_id, reader_id, article_id, clause, note, created_at,
		decision_id, policy_version, automatic, rule_id, rule_version, ref, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		e.Actor, e.Action, nullID(e.CommentID), nullID(e.ReaderID), nullID(e.ArticleID), e.Clause, e.Note, e.CreatedAt,
		e.DecisionID, e.PolicyVersion, e.Automatic, e.RuleID, e.RuleVersion, e.Ref, e.PrevHash, e.Hash)
	if err != nil {
		return fmt.Errorf("moderation log: %w", err)
	}
	e.ID = id
	if e.Notice == nil {
		return nil
	}
	m, err := e.Notice(*e)
	if err != nil {
		return fmt.Errorf("notice of decision %s: %w", e.DecisionID, err)
	}
	if m == nil {
		return nil
	}
	if m.Ref == "" {
		m.Ref = e.DecisionID
	}
	return enqueueMail(ctx, tx, m)
}

// ModerationLog lists the log, newest first.
func (db *DB) ModerationLog(ctx context.Context, limit, offset int) ([]news.ModerationEntry, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	rows, err := db.Query(ctx, `SELECT `+modLogCols+` FROM moderation_log ORDER BY id DESC LIMIT ? OFFSET ?`, limit, offset)
	return collect(rows, err, func(r *sql.Rows) (news.ModerationEntry, error) { return scanModEntry(r) })
}

// ModerationChain lists entries after id afterID, oldest first (for
// verification, page by page).
func (db *DB) ModerationChain(ctx context.Context, afterID int64, limit int) ([]news.ModerationEntry, error) {
	if limit <= 0 || limit > 5000 {
		limit = 1000
	}
	rows, err := db.Query(ctx, `SELECT `+modLogCols+` FROM moderation_log WHERE id > ? ORDER BY id LIMIT ?`, afterID, limit)
	return collect(rows, err, func(r *sql.Rows) (news.ModerationEntry, error) { return scanModEntry(r) })
}

// DecisionByID loads a decision by its public id.
func (db *DB) DecisionByID(ctx context.Context, decisionID string) (news.ModerationEntry, error) {
	if decisionID == "" {
		return news.ModerationEntry{}, news.NotFound("decision")
	}
	e, err := scanModEntry(db.QueryRow(ctx, `SELECT `+modLogCols+` FROM moderation_log WHERE decision_id = ?`, decisionID))
	return e, notFoundOr(err, "decision")
}

// CommentDecisions gives each comment's latest decision (comments never
// decided on are absent).
func (db *DB) CommentDecisions(ctx context.Context, commentIDs []int64) (map[int64]news.ModerationEntry, error) {
	out := map[int64]news.ModerationEntry{}
	if len(commentIDs) == 0 {
		return out, nil
	}
	ph := strings.TrimSuffix(strings.Repeat("?,", len(commentIDs)), ",")
	args := make([]any, len(commentIDs))
	for i, id := range commentIDs {
		args[i] = id
	}
	rows, err := db.Query(ctx, `SELECT `+modLogCols+` FROM moderation_log WHERE comment_id IN (`+ph+`) AND decision_id <> '' ORDER BY id`, args...)
	list, err := collect(rows, err, func(r *sql.Rows) (news.ModerationEntry, error) { return scanModEntry(r) })
	if err != nil {
		return nil, err
	}
	for _, e := range list {
		out[e.CommentID] = e
	}
	return out, nil
}

// Decisions lists decisions made in [since, until), oldest first.
func (db *DB) Decisions(ctx context.Context, since, until time.Time, limit int) ([]news.ModerationEntry, error) {
	if limit <= 0 || limit > 100000 {
		limit = 10000
	}
	rows, err := db.Query(ctx, `SELECT `+modLogCols+` FROM moderation_log WHERE decision_id <> '' AND created_at >= ? AND created_at < ? ORDER BY id LIMIT ?`, since, until, limit)
	return collect(rows, err, func(r *sql.Rows) (news.ModerationEntry, error) { return scanModEntry(r) })
}
