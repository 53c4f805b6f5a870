package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"byline/internal/news"
)

const mailCols = `id, COALESCE(reader_id, 0), kind, ref, recipient, message_id, message, status, attempts, next_attempt_at, last_error, created_at, sent_at, interrupts`

func scanMail(r interface{ Scan(...any) error }) (news.OutboxMail, error) {
	var m news.OutboxMail
	err := r.Scan(&m.ID, &m.ReaderID, &m.Kind, &m.Ref, &m.Recipient, &m.MessageID, &m.Message, &m.Status, &m.Attempts,
		Time(&m.NextAttemptAt), &m.LastError, Time(&m.CreatedAt), Time(&m.SentAt), &m.Interrupts)
	return m, err
}

// EnqueueMail stores a pending message.
func (db *DB) EnqueueMail(ctx context.Context, m *news.OutboxMail) error {
	return db.InTx(ctx, func(tx Tx) error { return enqueueMail(ctx, tx, m) })
}

// enqueueMail stores m inside tx: a decision's notice goes in the
// decision's own transaction (appendModEntry, modAppender).
func enqueueMail(ctx context.Context, tx Tx, m *news.OutboxMail) error {
	args, err := mailArgs(m)
	if err != nil {
		return err
	}
	m.ID, err = tx.Insert(ctx, insertMailSQL, args...)
	return tx.db.mailError(m, err)
}

const insertMailSQL = `INSERT INTO mail_outbox(reader_id, kind, ref, recipient, message_id, message, status, attempts, next_attempt_at, last_error, created_at)
	VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, '', ?) RETURNING id`

// mailArgs readies m to be queued (checked, its times set) and gives the
// arguments of insertMailSQL.
func mailArgs(m *news.OutboxMail) ([]any, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if m.CreatedAt.IsZero() {
		m.CreatedAt = time.Now()
	}
	m.CreatedAt = m.CreatedAt.UTC().Truncate(time.Millisecond)
	if m.NextAttemptAt.IsZero() {
		m.NextAttemptAt = m.CreatedAt
	}
	m.Status, m.Attempts = news.MailPending, 0
	return []any{nullID(m.ReaderID), m.Kind, m.Ref, m.Recipient, m.MessageID, m.Message, m.NextAttemptAt, m.CreatedAt}, nil
}

// mailError tells why m was not queued (err: what the database said).
func (db *DB) mailError(m *news.OutboxMail, err error) error {
	if db.isUnique(err) {
		return news.Errorf(news.KindConflict, "message %s is already queued", m.MessageID)
	}
	if err != nil {
		return fmt.Errorf("queue mail: %w", err)
	}
	return nil
}

// ClaimMail leases due messages, oldest due first, so that two workers
// (or two servers) never send the same row while its lease runs; the due
// rows are picked with the dialect's SkipLocked (as ClaimDeliveries).
// A row still 'sending' once its lease is over (or released) was
// interrupted mid-send: it is claimed again, with that status, for the
// worker to judge (see StartMail).
func (db *DB) ClaimMail(ctx context.Context, at time.Time, lease time.Duration, limit int) ([]news.OutboxMail, error) {
	var out []news.OutboxMail
	err := db.InTx(ctx, func(tx Tx) error {
		ids, err := claimLeased(ctx, tx, "mail_outbox", `'pending', 'sending'`, at, lease, limit)
		if err != nil || len(ids) == 0 {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT `+mailCols+` FROM mail_outbox
			WHERE id IN (?`+strings.Repeat(",?", len(ids)-1)+`) ORDER BY next_attempt_at, id`, ids...)
		out, err = collect(rows, err, func(r *sql.Rows) (news.OutboxMail, error) { return scanMail(r) })
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("claim mail: %w", err)
	}
	return out, nil
}

// StartMail marks m 'sending' before its SMTP DATA, with its attempts
// (this one counted, so a crash does not lose it) and its count of
// interrupted sends, while the worker's lease still runs at now; a lease
// already over (another worker may have the row) is a KindConflict error
// and the message must not be sent.
func (db *DB) StartMail(ctx context.Context, m *news.OutboxMail, now time.Time) error {
	res, err := db.Exec(ctx, `UPDATE mail_outbox SET status = 'sending', attempts = ?, interrupts = ? WHERE id = ? AND claimed_until > ?`,
		m.Attempts, m.Interrupts, m.ID, now)
	if err != nil {
		return fmt.Errorf("start mail: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.Errorf(news.KindConflict, "the lease on message %d is over; it is not sent", m.ID)
	}
	m.Status = news.MailSending
	return nil
}

// FinishMail records the outcome of an attempt and releases the lease.
func (db *DB) FinishMail(ctx context.Context, m *news.OutboxMail) error {
	if len(m.LastError) > 500 {
		m.LastError = m.LastError[:500]
	}
	_, err := db.Exec(ctx, `UPDATE mail_outbox SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ?, sent_at = ?,
		interrupts = ?, claimed_until = NULL WHERE id = ?`, m.Status, m.Attempts, m.NextAttemptAt, m.LastError, m.SentAt, m.Interrupts, m.ID)
	if err != nil {
		return fmt.Errorf("finish mail: %w", err)
	}
	return nil
}

// ListMail is the outbox, newest first.
func (db *DB) ListMail(ctx context.Context, readerID int64, limit int) ([]news.OutboxMail, error) {
	rows, err := db.Query(ctx, `SELECT `+mailCols+` FROM mail_outbox WHERE (? = 0 OR reader_id = ?) ORDER BY id DESC LIMIT ?`,
		readerID, readerID, clampLimit(limit, 50, 1000))
	out, err := collect(rows, err, func(r *sql.Rows) (news.OutboxMail, error) { return scanMail(r) })
	if err != nil {
		return nil, fmt.Errorf("list mail: %w", err)
	}
	return out, nil
}

// PruneMail deletes sent and failed messages created before t.
func (db *DB) PruneMail(ctx context.Context, before time.Time) (int, error) {
	res, err := db.Exec(ctx, `DELETE FROM mail_outbox WHERE status IN ('sent', 'failed') AND created_at < ?`, before)
	if err != nil {
		return 0, fmt.Errorf("prune mail: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// SetNoticeEmail sets (or clears) the reader's notice address.
func (db *DB) SetNoticeEmail(ctx context.Context, readerID int64, addr string, off bool) error {
	if addr != "" {
		a, err := news.ParseNoticeAddress(addr)
		if err != nil {
			return err
		}
		addr = a
	}
	res, err := db.Exec(ctx, `UPDATE readers SET notice_email = ?, notice_off = ? WHERE id = ?`, addr, off, readerID)
	if err != nil {
		return fmt.Errorf("set notice address: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.NotFound("reader")
	}
	return nil
}

// SetReaderLang records the reader's language for notices.
func (db *DB) SetReaderLang(ctx context.Context, readerID int64, lang string) error {
	if lang != "en" && lang != "ko" {
		return news.Invalid("lang", "a reader's language is en or ko")
	}
	res, err := db.Exec(ctx, `UPDATE readers SET lang = ? WHERE id = ?`, lang, readerID)
	if err != nil {
		return fmt.Errorf("set reader language: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.NotFound("reader")
	}
	return nil
}

// NoticeKey returns the reader's link key, storing key first when the
// reader has none (two servers racing both get the one stored).
func (db *DB) NoticeKey(ctx context.Context, readerID int64, key string) (string, error) {
	if key == "" {
		return "", news.Invalid("key", "a new key is needed")
	}
	if _, err := db.Exec(ctx, `UPDATE readers SET notice_key = ? WHERE id = ? AND notice_key = ''`, key, readerID); err != nil {
		return "", fmt.Errorf("notice key: %w", err)
	}
	var got string
	err := db.WriteRow(ctx, `SELECT notice_key FROM readers WHERE id = ?`, readerID).Scan(&got)
	return got, notFoundOr(err, "reader")
}

var _ news.MailStore = (*DB)(nil)
