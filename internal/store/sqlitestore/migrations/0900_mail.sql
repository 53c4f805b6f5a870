-- Notices by e-mail (issue 16): the address a reader gets notices at
-- (confirmed: the provider's verified e-mail, or one they typed and
-- confirmed), whether they unsubscribed, the key that signs their
-- confirmation and unsubscribe links, and their language (en, ko).
ALTER TABLE readers ADD COLUMN notice_email TEXT NOT NULL DEFAULT '';
ALTER TABLE readers ADD COLUMN notice_off BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE readers ADD COLUMN notice_key TEXT NOT NULL DEFAULT '';
ALTER TABLE readers ADD COLUMN lang TEXT NOT NULL DEFAULT '';

-- The outbox: every message is stored whole before it is sent, so a
-- decision never waits on the mail server and an outage loses nothing.
-- A worker leases due rows (claimed_until); another server takes over a
-- row whose lease ran out. A reader's deletion takes their mail with it.
CREATE TABLE mail_outbox (
    id              INTEGER PRIMARY KEY,
    reader_id       INTEGER REFERENCES readers(id) ON DELETE CASCADE,
    kind            TEXT NOT NULL,
    ref             TEXT NOT NULL DEFAULT '',
    recipient       TEXT NOT NULL,
    message_id      TEXT NOT NULL UNIQUE,
    message         BLOB NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    claimed_until   INTEGER,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER
);
CREATE INDEX mail_outbox_due ON mail_outbox(status, next_attempt_at);
CREATE INDEX mail_outbox_reader ON mail_outbox(reader_id);
