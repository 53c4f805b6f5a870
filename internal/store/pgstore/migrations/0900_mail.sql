-- Notices by e-mail (mirrors SQLite's 0900_mail.sql): the reader's
-- confirmed notice address, unsubscribed or not, the key of their signed
-- links, their language; and the outbox a worker sends from.
ALTER TABLE readers ADD COLUMN notice_email text NOT NULL DEFAULT '';
ALTER TABLE readers ADD COLUMN notice_off boolean NOT NULL DEFAULT false;
ALTER TABLE readers ADD COLUMN notice_key text NOT NULL DEFAULT '';
ALTER TABLE readers ADD COLUMN lang text NOT NULL DEFAULT '';

CREATE TABLE mail_outbox (
    id              bigserial PRIMARY KEY,
    reader_id       bigint REFERENCES readers(id) ON DELETE CASCADE,
    kind            text NOT NULL,
    ref             text NOT NULL DEFAULT '',
    recipient       text NOT NULL,
    message_id      text NOT NULL UNIQUE,
    message         bytea NOT NULL,
    status          text NOT NULL DEFAULT 'pending',
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    claimed_until   timestamptz,
    last_error      text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL,
    sent_at         timestamptz
);
CREATE INDEX mail_outbox_due ON mail_outbox(status, next_attempt_at);
CREATE INDEX mail_outbox_reader ON mail_outbox(reader_id);
