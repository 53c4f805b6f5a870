-- Statements of reasons (issue 16): every decision in the moderation log
-- carries a unique id, the policy version, whether it was automatic and
-- by which rule version; "ref" names the decision an appeal or its
-- outcome concerns. prev_hash/hash chain the log: each entry's hash
-- covers the one before it (byline moderation verify).
ALTER TABLE moderation_log ADD COLUMN decision_id TEXT NOT NULL DEFAULT '';
ALTER TABLE moderation_log ADD COLUMN policy_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE moderation_log ADD COLUMN automatic BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE moderation_log ADD COLUMN rule_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE moderation_log ADD COLUMN rule_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE moderation_log ADD COLUMN ref TEXT NOT NULL DEFAULT '';
ALTER TABLE moderation_log ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE moderation_log ADD COLUMN hash TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX moderation_log_decision ON moderation_log(decision_id) WHERE decision_id <> '';
CREATE INDEX moderation_log_comment ON moderation_log(comment_id);

-- Appeals: one per decision, reviewed by another moderator.
CREATE TABLE mod_appeals (
    id          INTEGER PRIMARY KEY,
    decision_id TEXT NOT NULL UNIQUE,
    comment_id  INTEGER,
    reader_id   INTEGER NOT NULL,
    reason      TEXT NOT NULL,
    status      TEXT NOT NULL,
    reviewer    TEXT NOT NULL DEFAULT '',
    reply       TEXT NOT NULL DEFAULT '',
    outcome_id  TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    decided_at  INTEGER
);
CREATE INDEX mod_appeals_reader ON mod_appeals(reader_id);
