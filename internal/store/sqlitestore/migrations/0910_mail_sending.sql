-- A message is marked 'sending' (under its lease) before the SMTP DATA
-- begins; a row found 'sending' by a later claim was interrupted mid-send
-- (its worker died, or stopped, before recording the outcome) and may
-- have been delivered. interrupts counts such finds: the message is sent
-- again once (the same Message-ID, so mail clients collapse the two) and
-- given up on at the second.
ALTER TABLE mail_outbox ADD COLUMN interrupts INTEGER NOT NULL DEFAULT 0;
