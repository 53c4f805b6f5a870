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
	m := tx.db.modAppend(e)
	if err := tx.run(ctx, m.first()); err != nil {
		return fmt.Errorf("moderation log: %w", err)
	}
	for {
		next, done, err := m.then()
		if err == nil {
			err = tx.run(ctx, next)
		}
		if err != nil || done {
			return m.failed(err)
		}
	}
}

const (
	lastHashSQL       = `SELECT hash FROM moderation_log ORDER BY id DESC LIMIT 1`
	insertModEntrySQL = `INSERT INTO moderation_log(actor, action, comment_id, reader_id, article_id, clause, note, created_at,
	decision_id, policy_version, automatic, rule_id, rule_version, ref, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
)

// modAppender appends one entry to the log in steps, so that each can
// travel with a decision's other statements (DB.atomicThen): first the
// log's lock (Dialect.LockSQL: each entry's hash covers the one before
// it, so two servers must not append at once) and its last hash; then,
// with the entry's hash computed from that in Go, the insert; then, where
// the entry has a notice (e.Notice, made from the entry with its id), the
// notice's message in the outbox.
type modAppender struct {
	db     *DB
	e      *news.ModerationEntry
	stmts  [2]Read
	lock   [1]any
	prev   string
	into   [1]any
	args   [16]any
	mail   *news.OutboxMail // e's notice, queued with it
	mailID [1]any
	step   int   // what then gave last: 0 nothing, 1 the entry, 2 its notice
	own    error // then's own error (a notice that could not be made)
}

func (db *DB) modAppend(e *news.ModerationEntry) *modAppender {
	if e.CreatedAt.IsZero() {
		e.CreatedAt = time.Now()
	}
	e.CreatedAt = e.CreatedAt.UTC().Truncate(time.Millisecond)
	return &modAppender{db: db, e: e}
}

// first: take the log's lock, read its last hash (none: the log is empty).
func (m *modAppender) first() []Read {
	m.into[0] = &m.prev
	list := m.stmts[:0]
	if m.db.d.LockSQL != "" {
		m.lock[0] = modLogLock
		list = append(list, Read{Query: m.db.d.LockSQL, Args: m.lock[:]})
	}
	return append(list, Read{Query: lastHashSQL, Into: m.into[:]})
}

// then gives the next statements, and whether they are the last: the
// entry, chained to the hash first read (its id read back); then its
// notice where it has one.
func (m *modAppender) then() ([]Read, bool, error) {
	e := m.e
	if m.step == 0 {
		e.PrevHash = m.prev
		e.Hash = e.ChainHash(m.prev)
		m.into[0] = &e.ID
		m.args = [16]any{e.Actor, e.Action, nullID(e.CommentID), nullID(e.ReaderID), nullID(e.ArticleID), e.Clause, e.Note, e.CreatedAt,
			e.DecisionID, e.PolicyVersion, e.Automatic, e.RuleID, e.RuleVersion, e.Ref, e.PrevHash, e.Hash}
		m.stmts[0] = Read{Query: insertModEntrySQL, Args: m.args[:], Into: m.into[:]}
		m.step = 1
		return m.stmts[:1], e.Notice == nil, nil
	}
	mail, err := e.Notice(*e)
	if err != nil {
		m.own = fmt.Errorf("notice of decision %s: %w", e.DecisionID, err)
		return nil, true, m.own
	}
	m.step = 2
	if mail == nil {
		return nil, true, nil
	}
	if mail.Ref == "" {
		mail.Ref = e.DecisionID
	}
	args, err := mailArgs(mail)
	if err != nil {
		m.own = err
		return nil, true, err
	}
	m.mail, m.mailID[0] = mail, &mail.ID
	m.stmts[1] = Read{Query: insertMailSQL, Args: args, Into: m.mailID[:]}
	return m.stmts[1:2], true, nil
}

// failed tells why the statements then gave did not store the entry and
// its notice (err: what was said), nil when they did; an error from
// before then gave any, or then's own, is given as it is.
func (m *modAppender) failed(err error) error {
	if err == nil || m.step == 0 || err == m.own {
		if err != nil {
			m.e.ID = 0
		}
		return err
	}
	m.e.ID = 0
	if m.step == 2 && m.mail != nil {
		queued := m.mail.ID != 0
		m.mail.ID = 0
		if !queued {
			return m.db.mailError(m.mail, err)
		}
	}
	return fmt.Errorf("moderation log: %w", err)
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
