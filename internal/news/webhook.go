package news

import (
	"context"
	"time"
)

// Webhook is an endpoint told of publish, update and unpublish events.
type Webhook struct {
	ID        int64
	URL       string
	Secret    string
	Active    bool
	CreatedAt time.Time
}

// Delivery states.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed" // gave up after the last attempt
)

// WebhookDelivery is one event to send to one endpoint, with its history.
type WebhookDelivery struct {
	ID            int64
	WebhookID     int64
	URL           string // filled on read
	Secret        string // filled when claimed
	Event         string
	Payload       []byte
	Status        string
	Attempts      int
	NextAttemptAt time.Time
	LastAttemptAt time.Time
	ResponseCode  int
	LastError     string
	CreatedAt     time.Time
}

// WebhookStore keeps endpoints and the delivery queue. Deliveries are
// claimed with a lease so that several servers share the queue and a
// crashed worker's rows are picked up again when the lease ends.
type WebhookStore interface {
	CreateWebhook(ctx context.Context, h *Webhook) error
	ListWebhooks(ctx context.Context) ([]Webhook, error)
	DeleteWebhook(ctx context.Context, id int64) error
	// EnqueueDeliveries adds one pending delivery per active webhook and
	// returns how many.
	EnqueueDeliveries(ctx context.Context, event string, payload []byte, at time.Time) (int, error)
	// ClaimDeliveries atomically leases up to limit due pending deliveries.
	ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]WebhookDelivery, error)
	// FinishAttempt records an attempt: Status, Attempts, NextAttemptAt,
	// LastAttemptAt, ResponseCode and LastError of d, and ends the lease.
	FinishAttempt(ctx context.Context, d *WebhookDelivery) error
	ListDeliveries(ctx context.Context, webhookID int64, limit int) ([]WebhookDelivery, error)
	// PruneDeliveries deletes delivered and failed deliveries created
	// before t (the log keeps what is recent) and returns how many.
	PruneDeliveries(ctx context.Context, before time.Time) (int, error)
}
