-- Import bookkeeping (mirrors SQLite's 0152_import.sql).
CREATE TABLE import_map (
    source text NOT NULL,
    kind   text NOT NULL,
    key    text NOT NULL,
    id     bigint NOT NULL,
    PRIMARY KEY (source, kind, key)
);

CREATE TABLE import_redirects (
    from_path  text PRIMARY KEY,
    article_id bigint NOT NULL REFERENCES articles(id) ON DELETE CASCADE
);

CREATE TABLE wp_comments (
    id           bigserial PRIMARY KEY,
    source       text NOT NULL,
    external_id  text NOT NULL,
    article_id   bigint NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    parent_ext   text NOT NULL DEFAULT '',
    author_name  text NOT NULL DEFAULT '',
    author_email text NOT NULL DEFAULT '',
    author_url   text NOT NULL DEFAULT '',
    body         text NOT NULL,
    created_at   timestamptz NOT NULL,
    UNIQUE (source, external_id)
);
CREATE INDEX wp_comments_article ON wp_comments(article_id);
