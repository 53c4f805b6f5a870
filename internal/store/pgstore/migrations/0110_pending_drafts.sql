-- Drafts of changes to published articles (at most one an article):
-- saved without touching the live version until published or discarded.
CREATE TABLE pending_drafts (
    article_id   bigint PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    base_version integer NOT NULL,
    seq          integer NOT NULL,
    user_id      bigint NOT NULL DEFAULT 0,
    user_name    text NOT NULL DEFAULT '',
    saved_at     timestamptz NOT NULL,
    publish_at   timestamptz,
    snapshot     text NOT NULL
);
CREATE INDEX pending_drafts_due ON pending_drafts(publish_at) WHERE publish_at IS NOT NULL;
