package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"byline/internal/news"
)

// CreateWebhook adds an endpoint.
func (s *Store) CreateWebhook(ctx context.Context, h *news.Webhook) error {
	if h.CreatedAt.IsZero() {
		h.CreatedAt = time.Now().UTC()
	}
	res, err := s.w.ExecContext(ctx, `INSERT INTO webhooks(url, secret, active, created_at) VALUES (?, ?, ?, ?)`, h.URL, h.Secret, h.Active, h.CreatedAt.UnixMilli())
	if err != nil {
		return fmt.Errorf("create webhook: %w", err)
	}
	h.ID, _ = res.LastInsertId()
	return nil
}

// ListWebhooks lists endpoints, oldest first.
func (s *Store) ListWebhooks(ctx context.Context) ([]news.Webhook, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, url, secret, active, created_at FROM webhooks ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list webhooks: %w", err)
	}
	defer rows.Close()
	var out []news.Webhook
	for rows.Next() {
		var h news.Webhook
		var at int64
		if err := rows.Scan(&h.ID, &h.URL, &h.Secret, &h.Active, &at); err != nil {
			return nil, err
		}
		h.CreatedAt = time.UnixMilli(at).UTC()
		out = append(out, h)
	}
	return out, rows.Err()
}

// DeleteWebhook removes an endpoint and its deliveries.
func (s *Store) DeleteWebhook(ctx context.Context, id int64) error {
	res, err := s.w.ExecContext(ctx, `DELETE FROM webhooks WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete webhook: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.NotFound("webhook")
	}
	return nil
}

// EnqueueDeliveries queues the event for every active endpoint.
func (s *Store) EnqueueDeliveries(ctx context.Context, event string, payload []byte, at time.Time) (int, error) {
	res, err := s.w.ExecContext(ctx, `INSERT INTO webhook_deliveries(webhook_id, event, payload, status, next_attempt_at, created_at)
		SELECT id, ?, ?, 'pending', ?, ? FROM webhooks WHERE active = 1`, event, payload, at.UnixMilli(), at.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("enqueue deliveries: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

const deliveryCols = `d.id, d.webhook_id, h.url, h.secret, d.event, d.payload, d.status, d.attempts, d.next_attempt_at, d.last_attempt_at, d.response_code, d.last_error, d.created_at`

func scanDelivery(sc interface{ Scan(...any) error }) (news.WebhookDelivery, error) {
	var d news.WebhookDelivery
	var next, created int64
	var last sql.NullInt64
	err := sc.Scan(&d.ID, &d.WebhookID, &d.URL, &d.Secret, &d.Event, &d.Payload, &d.Status, &d.Attempts, &next, &last, &d.ResponseCode, &d.LastError, &created)
	d.NextAttemptAt = time.UnixMilli(next).UTC()
	d.LastAttemptAt = fromMS(last)
	d.CreatedAt = time.UnixMilli(created).UTC()
	return d, err
}

// ClaimDeliveries leases due deliveries in one statement, so two workers
// (or two servers) never take the same row while its lease runs.
func (s *Store) ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]news.WebhookDelivery, error) {
	n := now.UnixMilli()
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `UPDATE webhook_deliveries SET claimed_until = ?
		WHERE id IN (SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ?
			AND (claimed_until IS NULL OR claimed_until <= ?) ORDER BY next_attempt_at, id LIMIT ?)
		RETURNING id`, now.Add(lease).UnixMilli(), n, n, clampLimit(limit, 10, 100))
	if err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", err)
	}
	var ids []any
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if len(ids) == 0 {
		return nil, tx.Commit()
	}
	out, err := queryDeliveries(ctx, tx, `WHERE d.id IN (`+placeholders(len(ids))+`) ORDER BY d.next_attempt_at, d.id`, ids...)
	if err != nil {
		return nil, err
	}
	return out, tx.Commit()
}

func placeholders(n int) string {
	b := make([]byte, 0, 2*n)
	for i := range n {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '?')
	}
	return string(b)
}

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

func queryDeliveries(ctx context.Context, db querier, where string, args ...any) ([]news.WebhookDelivery, error) {
	rows, err := db.QueryContext(ctx, `SELECT `+deliveryCols+` FROM webhook_deliveries d JOIN webhooks h ON h.id = d.webhook_id `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("load deliveries: %w", err)
	}
	defer rows.Close()
	var out []news.WebhookDelivery
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// FinishAttempt records the outcome of an attempt and releases the lease.
func (s *Store) FinishAttempt(ctx context.Context, d *news.WebhookDelivery) error {
	if len(d.LastError) > 500 {
		d.LastError = d.LastError[:500]
	}
	_, err := s.w.ExecContext(ctx, `UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = ?, last_attempt_at = ?,
		response_code = ?, last_error = ?, claimed_until = NULL WHERE id = ?`,
		d.Status, d.Attempts, d.NextAttemptAt.UnixMilli(), ms(d.LastAttemptAt), d.ResponseCode, d.LastError, d.ID)
	if err != nil {
		return fmt.Errorf("finish delivery: %w", err)
	}
	return nil
}

// ListDeliveries is the delivery log, newest first; webhookID 0 lists all.
func (s *Store) ListDeliveries(ctx context.Context, webhookID int64, limit int) ([]news.WebhookDelivery, error) {
	lim := clampLimit(limit, 50, 1000)
	var out []news.WebhookDelivery
	var err error
	if webhookID == 0 {
		out, err = queryDeliveries(ctx, s.r, `ORDER BY d.id DESC LIMIT ?`, lim)
	} else {
		out, err = queryDeliveries(ctx, s.r, `WHERE d.webhook_id = ? ORDER BY d.id DESC LIMIT ?`, webhookID, lim)
	}
	for i := range out {
		out[i].Secret = ""
	}
	return out, err
}

// PruneDeliveries deletes finished deliveries created before t.
func (s *Store) PruneDeliveries(ctx context.Context, before time.Time) (int, error) {
	res, err := s.w.ExecContext(ctx, `DELETE FROM webhook_deliveries WHERE status IN ('delivered', 'failed') AND created_at < ?`, before.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("prune deliveries: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

var _ news.WebhookStore = (*Store)(nil)
