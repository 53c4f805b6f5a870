package pgstore

import (
	"context"
	"fmt"
	"time"

	"byline/internal/news"

	"github.com/jackc/pgx/v5"
)

// Media library, webhook queue, import bookkeeping and the Content API's
// keyset paging (mirrors sqlitestore's media.go, webhook.go, import.go
// and content_api.go).

var (
	_ news.MediaStore   = (*Store)(nil)
	_ news.WebhookStore = (*Store)(nil)
	_ news.ImportStore  = (*Store)(nil)
	_ news.ContentStore = (*Store)(nil)
)

// CreateWebhook adds an endpoint.
func (s *Store) CreateWebhook(ctx context.Context, h *news.Webhook) error {
	if h.CreatedAt.IsZero() {
		h.CreatedAt = now()
	}
	err := s.pool.QueryRow(ctx, `INSERT INTO webhooks(url, secret, active, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		h.URL, h.Secret, h.Active, ts(h.CreatedAt)).Scan(&h.ID)
	if err != nil {
		return fmt.Errorf("create webhook: %w", err)
	}
	return nil
}

// ListWebhooks lists endpoints, oldest first.
func (s *Store) ListWebhooks(ctx context.Context) ([]news.Webhook, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, url, secret, active, created_at FROM webhooks ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list webhooks: %w", err)
	}
	return collect(rows, func(r pgx.CollectableRow) (news.Webhook, error) {
		var h news.Webhook
		err := r.Scan(&h.ID, &h.URL, &h.Secret, &h.Active, &h.CreatedAt)
		h.CreatedAt = h.CreatedAt.UTC()
		return h, err
	})
}

// DeleteWebhook removes an endpoint and its deliveries.
func (s *Store) DeleteWebhook(ctx context.Context, id int64) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM webhooks WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("delete webhook: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return news.NotFound("webhook")
	}
	return nil
}

// EnqueueDeliveries queues the event for every active endpoint.
func (s *Store) EnqueueDeliveries(ctx context.Context, event string, payload []byte, at time.Time) (int, error) {
	tag, err := s.pool.Exec(ctx, `INSERT INTO webhook_deliveries(webhook_id, event, payload, status, next_attempt_at, created_at)
		SELECT id, $1, $2, 'pending', $3, $3 FROM webhooks WHERE active`, event, payload, ts(at))
	if err != nil {
		return 0, fmt.Errorf("enqueue deliveries: %w", err)
	}
	return int(tag.RowsAffected()), nil
}

const deliveryCols = `d.id, d.webhook_id, h.url, h.secret, d.event, d.payload, d.status, d.attempts, d.next_attempt_at, d.last_attempt_at, d.response_code, d.last_error, d.created_at`

func scanDelivery(r pgx.CollectableRow) (news.WebhookDelivery, error) {
	var d news.WebhookDelivery
	var last *time.Time
	err := r.Scan(&d.ID, &d.WebhookID, &d.URL, &d.Secret, &d.Event, &d.Payload, &d.Status, &d.Attempts, &d.NextAttemptAt, &last, &d.ResponseCode, &d.LastError, &d.CreatedAt)
	d.NextAttemptAt = d.NextAttemptAt.UTC()
	d.LastAttemptAt = fromTS(last)
	d.CreatedAt = d.CreatedAt.UTC()
	return d, err
}

// ClaimDeliveries leases due deliveries in one statement; FOR UPDATE SKIP
// LOCKED lets several servers claim at once without waiting on each other
// or taking the same row.
func (s *Store) ClaimDeliveries(ctx context.Context, at time.Time, lease time.Duration, limit int) ([]news.WebhookDelivery, error) {
	rows, err := s.pool.Query(ctx, `WITH due AS (
			SELECT id FROM webhook_deliveries
			WHERE status = 'pending' AND next_attempt_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1)
			ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
		UPDATE webhook_deliveries d SET claimed_until = $2 FROM due, webhooks h
		WHERE d.id = due.id AND h.id = d.webhook_id
		RETURNING `+deliveryCols, ts(at), ts(at.Add(lease)), clampLimit(limit, 10, 100))
	if err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", err)
	}
	out, err := collect(rows, scanDelivery)
	if err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", err)
	}
	// RETURNING has no order; attempts go oldest due first.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && (out[j].NextAttemptAt.Before(out[j-1].NextAttemptAt) || out[j].NextAttemptAt.Equal(out[j-1].NextAttemptAt) && out[j].ID < out[j-1].ID); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out, nil
}

// FinishAttempt records the outcome of an attempt and releases the lease.
func (s *Store) FinishAttempt(ctx context.Context, d *news.WebhookDelivery) error {
	if len(d.LastError) > 500 {
		d.LastError = d.LastError[:500]
	}
	_, err := s.pool.Exec(ctx, `UPDATE webhook_deliveries SET status = $1, attempts = $2, next_attempt_at = $3, last_attempt_at = $4,
		response_code = $5, last_error = $6, claimed_until = NULL WHERE id = $7`,
		d.Status, d.Attempts, ts(d.NextAttemptAt), ts(d.LastAttemptAt), d.ResponseCode, d.LastError, d.ID)
	if err != nil {
		return fmt.Errorf("finish delivery: %w", err)
	}
	return nil
}

// ListDeliveries is the delivery log, newest first; webhookID 0 lists all.
func (s *Store) ListDeliveries(ctx context.Context, webhookID int64, limit int) ([]news.WebhookDelivery, error) {
	q := `SELECT ` + deliveryCols + ` FROM webhook_deliveries d JOIN webhooks h ON h.id = d.webhook_id
		WHERE ($1 = 0 OR d.webhook_id = $1) ORDER BY d.id DESC LIMIT $2`
	rows, err := s.pool.Query(ctx, q, webhookID, clampLimit(limit, 50, 1000))
	if err != nil {
		return nil, fmt.Errorf("list deliveries: %w", err)
	}
	out, err := collect(rows, scanDelivery)
	for i := range out {
		out[i].Secret = ""
	}
	return out, err
}

// PruneDeliveries deletes finished deliveries created before t.
func (s *Store) PruneDeliveries(ctx context.Context, before time.Time) (int, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM webhook_deliveries WHERE status IN ('delivered', 'failed') AND created_at < $1`, ts(before))
	if err != nil {
		return 0, fmt.Errorf("prune deliveries: %w", err)
	}
	return int(tag.RowsAffected()), nil
}

// ListVisibleAfter pages through visible articles by (published_at, id).
func (s *Store) ListVisibleAfter(ctx context.Context, q news.CursorQuery) ([]news.Article, error) {
	t := q.Now
	if t.IsZero() {
		t = time.Now()
	}
	var w where
	w.visible(t)
	if len(q.SectionIDs) > 0 {
		w.add(`a.section_id = ANY(` + w.arg(q.SectionIDs) + `)`)
	}
	if q.Tag != "" {
		w.add(`a.id IN (SELECT article_id FROM article_tags WHERE tag = ` + w.arg(news.NormalizeTag(q.Tag)) + `)`)
	}
	if q.AuthorID != 0 {
		w.add(`a.id IN (SELECT article_id FROM article_authors WHERE author_id = ` + w.arg(q.AuthorID) + `)`)
	}
	if !q.Since.IsZero() {
		w.add(`a.published_at >= ` + w.arg(ts(q.Since)))
	}
	if !q.Until.IsZero() {
		w.add(`a.published_at < ` + w.arg(ts(q.Until)))
	}
	if q.After != nil {
		w.add(`(a.published_at, a.id) < (` + w.arg(ts(q.After.PublishedAt)) + `, ` + w.arg(q.After.ID) + `)`)
	}
	cond := w.String()
	limit := ` LIMIT ` + w.arg(clampLimit(q.Limit, 20, 100))
	rows, err := s.pool.Query(ctx, `SELECT `+listCols+` FROM articles a JOIN sections s ON s.id = a.section_id`+cond+
		` ORDER BY a.published_at DESC, a.id DESC`+limit, w.args...)
	if err != nil {
		return nil, fmt.Errorf("list articles: %w", err)
	}
	out, err := collect(rows, func(r pgx.CollectableRow) (news.Article, error) { return scanArticle(r, false) })
	if err != nil {
		return nil, fmt.Errorf("list articles: %w", err)
	}
	return out, s.fillRelations(ctx, out)
}
