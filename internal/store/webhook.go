package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"byline/internal/news"
)

// CreateWebhook adds an endpoint.
func (db *DB) CreateWebhook(ctx context.Context, h *news.Webhook) error {
	if h.CreatedAt.IsZero() {
		h.CreatedAt = time.Now().UTC()
	}
	id, err := db.Insert(ctx, `INSERT INTO webhooks(url, secret, active, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
		h.URL, h.Secret, h.Active, h.CreatedAt)
	if err != nil {
		return fmt.Errorf("create webhook: %w", err)
	}
	h.ID = id
	return nil
}

// ListWebhooks lists endpoints, oldest first.
func (db *DB) ListWebhooks(ctx context.Context) ([]news.Webhook, error) {
	rows, err := db.Query(ctx, `SELECT id, url, secret, active, created_at FROM webhooks ORDER BY id`)
	out, err := collect(rows, err, func(r *sql.Rows) (news.Webhook, error) {
		var h news.Webhook
		err := r.Scan(&h.ID, &h.URL, &h.Secret, &h.Active, Time(&h.CreatedAt))
		return h, err
	})
	if err != nil {
		return nil, fmt.Errorf("list webhooks: %w", err)
	}
	return out, nil
}

// DeleteWebhook removes an endpoint and its deliveries.
func (db *DB) DeleteWebhook(ctx context.Context, id int64) error {
	res, err := db.Exec(ctx, `DELETE FROM webhooks WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete webhook: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.NotFound("webhook")
	}
	return nil
}

// EnqueueDeliveries queues the event for every active endpoint.
func (db *DB) EnqueueDeliveries(ctx context.Context, event string, payload []byte, at time.Time) (int, error) {
	res, err := db.Exec(ctx, `INSERT INTO webhook_deliveries(webhook_id, event, payload, status, next_attempt_at, created_at)
		SELECT id, ?, ?, 'pending', ?, ? FROM webhooks WHERE active = TRUE`, event, payload, at, at)
	if err != nil {
		return 0, fmt.Errorf("enqueue deliveries: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

const deliveryCols = `d.id, d.webhook_id, h.url, h.secret, d.event, d.payload, d.status, d.attempts, d.next_attempt_at, d.last_attempt_at, d.response_code, d.last_error, d.created_at`

func scanDelivery(r *sql.Rows) (news.WebhookDelivery, error) {
	var d news.WebhookDelivery
	err := r.Scan(&d.ID, &d.WebhookID, &d.URL, &d.Secret, &d.Event, &d.Payload, &d.Status, &d.Attempts,
		Time(&d.NextAttemptAt), Time(&d.LastAttemptAt), &d.ResponseCode, &d.LastError, Time(&d.CreatedAt))
	return d, err
}

// ClaimDeliveries leases due deliveries, oldest due first, so that two
// workers (or two servers) never take the same row while its lease runs.
// On engines with several writers the due rows are picked with the
// dialect's SkipLocked, so claimers do not wait on each other.
func (db *DB) ClaimDeliveries(ctx context.Context, at time.Time, lease time.Duration, limit int) ([]news.WebhookDelivery, error) {
	var out []news.WebhookDelivery
	err := db.InTx(ctx, func(tx Tx) error {
		ids, err := claimLeased(ctx, tx, "webhook_deliveries", `'pending'`, at, lease, limit)
		if err != nil || len(ids) == 0 {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT `+deliveryCols+` FROM webhook_deliveries d JOIN webhooks h ON h.id = d.webhook_id
			WHERE d.id IN (?`+strings.Repeat(",?", len(ids)-1)+`) ORDER BY d.next_attempt_at, d.id`, ids...)
		out, err = collect(rows, err, scanDelivery)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", err)
	}
	return out, nil
}

// claimLeased leases the due rows of a queue table (webhook deliveries,
// the mail outbox: columns status, next_attempt_at, claimed_until) whose
// status is one of statuses (an SQL list of constants, "'pending'"),
// oldest due first, inside the caller's transaction, and returns their
// ids. On engines with several writers the due rows are picked with the
// dialect's SkipLocked, so claimers do not wait on each other.
func claimLeased(ctx context.Context, tx Tx, table, statuses string, at time.Time, lease time.Duration, limit int) ([]any, error) {
	rows, err := tx.Query(ctx, `UPDATE `+table+` SET claimed_until = ?
		WHERE id IN (SELECT id FROM `+table+` WHERE status IN (`+statuses+`) AND next_attempt_at <= ?
			AND (claimed_until IS NULL OR claimed_until <= ?) ORDER BY next_attempt_at, id LIMIT ?`+tx.db.d.SkipLocked+`)
		RETURNING id`, at.Add(lease), at, at, clampLimit(limit, 10, 100))
	return collect(rows, err, func(r *sql.Rows) (any, error) {
		var id int64
		err := r.Scan(&id)
		return id, err
	})
}

// FinishAttempt records the outcome of an attempt and releases the lease.
func (db *DB) FinishAttempt(ctx context.Context, d *news.WebhookDelivery) error {
	if len(d.LastError) > 500 {
		d.LastError = d.LastError[:500]
	}
	_, err := db.Exec(ctx, `UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = ?, last_attempt_at = ?,
		response_code = ?, last_error = ?, claimed_until = NULL WHERE id = ?`,
		d.Status, d.Attempts, d.NextAttemptAt, d.LastAttemptAt, d.ResponseCode, d.LastError, d.ID)
	if err != nil {
		return fmt.Errorf("finish delivery: %w", err)
	}
	return nil
}

// ListDeliveries is the delivery log, newest first; webhookID 0 lists all.
func (db *DB) ListDeliveries(ctx context.Context, webhookID int64, limit int) ([]news.WebhookDelivery, error) {
	q := `SELECT ` + deliveryCols + ` FROM webhook_deliveries d JOIN webhooks h ON h.id = d.webhook_id`
	args := []any{clampLimit(limit, 50, 1000)}
	if webhookID != 0 {
		q += ` WHERE d.webhook_id = ?`
		args = append([]any{webhookID}, args...)
	}
	rows, err := db.Query(ctx, q+` ORDER BY d.id DESC LIMIT ?`, args...)
	out, err := collect(rows, err, scanDelivery)
	if err != nil {
		return nil, fmt.Errorf("list deliveries: %w", err)
	}
	for i := range out {
		out[i].Secret = ""
	}
	return out, nil
}

// PruneDeliveries deletes finished deliveries created before t.
func (db *DB) PruneDeliveries(ctx context.Context, before time.Time) (int, error) {
	res, err := db.Exec(ctx, `DELETE FROM webhook_deliveries WHERE status IN ('delivered', 'failed') AND created_at < ?`, before)
	if err != nil {
		return 0, fmt.Errorf("prune deliveries: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

var _ news.WebhookStore = (*DB)(nil)
