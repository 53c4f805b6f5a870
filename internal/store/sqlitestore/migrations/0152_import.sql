-- What imports created (so re-runs create nothing twice), the old URLs
-- they replaced, and comments staged for the comments feature.
CREATE TABLE import_map (
    source TEXT NOT NULL,
    kind   TEXT NOT NULL,
    key    TEXT NOT NULL,
    id     INTEGER NOT NULL,
    PRIMARY KEY (source, kind, key)
);

CREATE TABLE import_redirects (
    from_path  TEXT PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE
);

CREATE TABLE wp_comments (
    id           INTEGER PRIMARY KEY,
    source       TEXT NOT NULL,
    external_id  TEXT NOT NULL,
    article_id   INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    parent_ext   TEXT NOT NULL DEFAULT '',
    author_name  TEXT NOT NULL DEFAULT '',
    author_email TEXT NOT NULL DEFAULT '',
    author_url   TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    UNIQUE (source, external_id)
);
CREATE INDEX wp_comments_article ON wp_comments(article_id);
