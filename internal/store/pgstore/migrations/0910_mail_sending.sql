-- Mirrors SQLite's 0910_mail_sending.sql: a message is marked 'sending'
-- under its lease before the SMTP DATA; interrupts counts the times a
-- claim found it still 'sending' (a send interrupted mid-way).
ALTER TABLE mail_outbox ADD COLUMN interrupts integer NOT NULL DEFAULT 0;
