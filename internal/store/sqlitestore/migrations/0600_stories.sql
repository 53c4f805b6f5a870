-- Running stories (issue 15): a story curates articles and short updates
-- written in place; its "what we know" summary is versioned. Times are
-- Unix milliseconds (UTC); NULL means "not set".
CREATE TABLE stories (
    id              INTEGER PRIMARY KEY,
    slug            TEXT NOT NULL UNIQUE,
    title           TEXT NOT NULL,
    standfirst      TEXT NOT NULL DEFAULT '',
    summary         TEXT NOT NULL DEFAULT '',
    summary_version INTEGER NOT NULL DEFAULT 0,
    status          TEXT NOT NULL DEFAULT 'developing',
    section_id      INTEGER REFERENCES sections(id),
    live            INTEGER NOT NULL DEFAULT 0,
    coverage_start  INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    last_entry_at   INTEGER,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX stories_active ON stories(status, last_entry_at DESC);

CREATE TABLE story_tags (
    story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    tag      TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (story_id, tag)
);
CREATE INDEX story_tags_tag ON story_tags(tag);

CREATE TABLE story_summaries (
    story_id   INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    summary    TEXT NOT NULL,
    editor_id  INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (story_id, version)
);

CREATE TABLE story_entries (
    id           INTEGER PRIMARY KEY,
    story_id     INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL DEFAULT 'update',
    article_id   INTEGER REFERENCES articles(id) ON DELETE CASCADE,
    body         TEXT NOT NULL DEFAULT '',
    image_url    TEXT NOT NULL DEFAULT '',
    image_alt    TEXT NOT NULL DEFAULT '',
    embed        TEXT NOT NULL DEFAULT '',
    event_at     INTEGER NOT NULL,
    published_at INTEGER NOT NULL,
    pinned       INTEGER NOT NULL DEFAULT 0,
    created_by   INTEGER NOT NULL DEFAULT 0
);
-- The chronology (by event time), what is new (by published time), the
-- kind filter, and the member box's way in from an article.
CREATE INDEX story_entries_chrono ON story_entries(story_id, event_at DESC, id DESC);
CREATE INDEX story_entries_new ON story_entries(story_id, published_at DESC, id DESC);
CREATE INDEX story_entries_kind ON story_entries(story_id, kind, event_at DESC);
CREATE UNIQUE INDEX story_entries_article ON story_entries(article_id, story_id);

-- A dormant story a new article matched, shown on the dashboard.
CREATE TABLE story_flags (
    id         INTEGER PRIMARY KEY,
    story_id   INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    score      DOUBLE PRECISION NOT NULL,
    created_at INTEGER NOT NULL,
    dismissed  INTEGER NOT NULL DEFAULT 0,
    UNIQUE (story_id, article_id)
);
