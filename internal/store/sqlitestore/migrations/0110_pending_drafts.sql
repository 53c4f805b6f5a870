-- Drafts of changes to published articles (at most one an article):
-- saved without touching the live version until published or discarded.
CREATE TABLE pending_drafts (
    article_id   INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    base_version INTEGER NOT NULL,
    seq          INTEGER NOT NULL,
    user_id      INTEGER NOT NULL DEFAULT 0,
    user_name    TEXT NOT NULL DEFAULT '',
    saved_at     INTEGER NOT NULL,
    publish_at   INTEGER,
    snapshot     TEXT NOT NULL
);
CREATE INDEX pending_drafts_due ON pending_drafts(publish_at) WHERE publish_at IS NOT NULL;
