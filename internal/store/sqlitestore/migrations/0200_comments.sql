-- Social comments: readers (social accounts, separate from staff), their
-- sessions and sign-ins in progress, comments, recommendations, reports,
-- the per-article switch, moderation settings, the versioned Standards
-- Board Policy and the moderators' audit log. Times are Unix ms.
CREATE TABLE readers (
    id           INTEGER PRIMARY KEY,
    provider     TEXT NOT NULL,
    subject      TEXT NOT NULL,
    name         TEXT NOT NULL,
    email        TEXT NOT NULL DEFAULT '',
    avatar_url   TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    banned_until INTEGER,
    shadow       INTEGER NOT NULL DEFAULT 0,
    shadow_until INTEGER,
    ban_clause   TEXT NOT NULL DEFAULT '',
    UNIQUE (provider, subject)
);

CREATE TABLE reader_sessions (
    token_hash TEXT PRIMARY KEY,
    reader_id  INTEGER NOT NULL REFERENCES readers(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX reader_sessions_reader ON reader_sessions(reader_id);

CREATE TABLE reader_login_states (
    state      TEXT PRIMARY KEY,
    provider   TEXT NOT NULL,
    verifier   TEXT NOT NULL DEFAULT '',
    nonce      TEXT NOT NULL DEFAULT '',
    return_to  TEXT NOT NULL DEFAULT '/',
    subject    TEXT NOT NULL DEFAULT '',
    name       TEXT NOT NULL DEFAULT '',
    expires_at INTEGER NOT NULL
);

CREATE TABLE comments (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    parent_id   INTEGER REFERENCES comments(id) ON DELETE CASCADE,
    reader_id   INTEGER REFERENCES readers(id) ON DELETE SET NULL,
    author_name TEXT NOT NULL,
    reply_to    TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,
    status      TEXT NOT NULL,
    clause      TEXT NOT NULL DEFAULT '',
    shadow      INTEGER NOT NULL DEFAULT 0,
    recommends  INTEGER NOT NULL DEFAULT 0,
    reports     INTEGER NOT NULL DEFAULT 0,
    open_reports INTEGER NOT NULL DEFAULT 0,
    reply_count INTEGER NOT NULL DEFAULT 0,
    edited_at   INTEGER,
    created_at  INTEGER NOT NULL,
    ip_hash     TEXT NOT NULL DEFAULT '',
    external_id TEXT UNIQUE
);
CREATE INDEX comments_article ON comments(article_id, parent_id, status, created_at);
CREATE INDEX comments_reader ON comments(reader_id, created_at);
CREATE INDEX comments_queue ON comments(status, open_reports);

CREATE TABLE comment_recommends (
    comment_id INTEGER NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
    reader_id  INTEGER NOT NULL REFERENCES readers(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (comment_id, reader_id)
);

CREATE TABLE comment_reports (
    id         INTEGER PRIMARY KEY,
    comment_id INTEGER NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
    reader_id  INTEGER NOT NULL REFERENCES readers(id) ON DELETE CASCADE,
    clause     TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    resolved   INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    UNIQUE (comment_id, reader_id)
);

CREATE TABLE article_comment_modes (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    mode       TEXT NOT NULL
);

CREATE TABLE comment_settings (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    body TEXT NOT NULL
);

CREATE TABLE comment_policy (
    version    INTEGER PRIMARY KEY,
    body       TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    editor     TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);

CREATE TABLE moderation_log (
    id         INTEGER PRIMARY KEY,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    comment_id INTEGER,
    reader_id  INTEGER,
    article_id INTEGER,
    clause     TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX moderation_log_created ON moderation_log(created_at DESC);
