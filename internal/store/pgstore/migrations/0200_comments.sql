-- Social comments (mirrors SQLite's 0200_comments.sql): readers and their
-- sessions and sign-ins in progress, comments, recommendations, reports,
-- the per-article switch, moderation settings, the versioned Standards
-- Board Policy and the moderators' audit log.
CREATE TABLE readers (
    id           bigserial PRIMARY KEY,
    provider     text NOT NULL,
    subject      text NOT NULL,
    name         text NOT NULL,
    email        text NOT NULL DEFAULT '',
    avatar_url   text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL,
    banned_until timestamptz,
    shadow       boolean NOT NULL DEFAULT false,
    shadow_until timestamptz,
    ban_clause   text NOT NULL DEFAULT '',
    UNIQUE (provider, subject)
);

CREATE TABLE reader_sessions (
    token_hash text PRIMARY KEY,
    reader_id  bigint NOT NULL REFERENCES readers(id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX reader_sessions_reader ON reader_sessions(reader_id);

CREATE TABLE reader_login_states (
    state      text PRIMARY KEY,
    provider   text NOT NULL,
    verifier   text NOT NULL DEFAULT '',
    nonce      text NOT NULL DEFAULT '',
    return_to  text NOT NULL DEFAULT '/',
    subject    text NOT NULL DEFAULT '',
    name       text NOT NULL DEFAULT '',
    expires_at timestamptz NOT NULL
);

CREATE TABLE comments (
    id           bigserial PRIMARY KEY,
    article_id   bigint NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    parent_id    bigint REFERENCES comments(id) ON DELETE CASCADE,
    reader_id    bigint REFERENCES readers(id) ON DELETE SET NULL,
    author_name  text NOT NULL,
    reply_to     text NOT NULL DEFAULT '',
    body         text NOT NULL,
    status       text NOT NULL,
    clause       text NOT NULL DEFAULT '',
    shadow       boolean NOT NULL DEFAULT false,
    recommends   integer NOT NULL DEFAULT 0,
    reports      integer NOT NULL DEFAULT 0,
    open_reports integer NOT NULL DEFAULT 0,
    reply_count  integer NOT NULL DEFAULT 0,
    edited_at    timestamptz,
    created_at   timestamptz NOT NULL,
    ip_hash      text NOT NULL DEFAULT '',
    external_id  text UNIQUE
);
CREATE INDEX comments_article ON comments(article_id, parent_id, status, created_at);
CREATE INDEX comments_parent ON comments(parent_id);
CREATE INDEX comments_reader ON comments(reader_id, created_at);
CREATE INDEX comments_queue ON comments(status, open_reports);

CREATE TABLE comment_recommends (
    comment_id bigint NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
    reader_id  bigint NOT NULL REFERENCES readers(id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (comment_id, reader_id)
);
CREATE INDEX comment_recommends_reader ON comment_recommends(reader_id);

CREATE TABLE comment_reports (
    id         bigserial PRIMARY KEY,
    comment_id bigint NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
    reader_id  bigint NOT NULL REFERENCES readers(id) ON DELETE CASCADE,
    clause     text NOT NULL,
    note       text NOT NULL DEFAULT '',
    resolved   boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    UNIQUE (comment_id, reader_id)
);

CREATE TABLE article_comment_modes (
    article_id bigint PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    mode       text NOT NULL
);

CREATE TABLE comment_settings (
    id   integer PRIMARY KEY CHECK (id = 1),
    body text NOT NULL
);

CREATE TABLE comment_policy (
    version    integer PRIMARY KEY,
    body       text NOT NULL,
    note       text NOT NULL DEFAULT '',
    editor     text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL
);

CREATE TABLE moderation_log (
    id         bigserial PRIMARY KEY,
    actor      text NOT NULL,
    action     text NOT NULL,
    comment_id bigint,
    reader_id  bigint,
    article_id bigint,
    clause     text NOT NULL DEFAULT '',
    note       text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL
);
CREATE INDEX moderation_log_created ON moderation_log(created_at DESC);
