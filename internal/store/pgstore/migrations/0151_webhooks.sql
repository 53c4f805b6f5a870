-- Webhook endpoints and their delivery queue (mirrors SQLite's
-- 0151_webhooks.sql). claimed_until is a worker's lease on a row.
CREATE TABLE webhooks (
    id         bigserial PRIMARY KEY,
    url        text NOT NULL,
    secret     text NOT NULL,
    active     boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL
);

CREATE TABLE webhook_deliveries (
    id              bigserial PRIMARY KEY,
    webhook_id      bigint NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    event           text NOT NULL,
    payload         bytea NOT NULL,
    status          text NOT NULL DEFAULT 'pending',
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_attempt_at timestamptz,
    claimed_until   timestamptz,
    response_code   integer NOT NULL DEFAULT 0,
    last_error      text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries(webhook_id, id DESC);
