-- The foundation: sections, authors, articles with tags, bylines and
-- public corrections, and full-text search over visible text.
CREATE TABLE sections (
    id          INTEGER PRIMARY KEY,
    parent_id   INTEGER REFERENCES sections(id),
    slug        TEXT NOT NULL,
    path        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE authors (
    id        INTEGER PRIMARY KEY,
    slug      TEXT NOT NULL UNIQUE,
    name      TEXT NOT NULL,
    title     TEXT NOT NULL DEFAULT '',
    email     TEXT NOT NULL DEFAULT '',
    bio       TEXT NOT NULL DEFAULT '',
    photo_url TEXT NOT NULL DEFAULT '',
    photo_alt TEXT NOT NULL DEFAULT ''
);

-- Times are Unix milliseconds (UTC); NULL means "not set".
CREATE TABLE articles (
    id              INTEGER PRIMARY KEY,
    slug            TEXT NOT NULL,
    section_id      INTEGER NOT NULL REFERENCES sections(id),
    headline        TEXT NOT NULL,
    dek             TEXT NOT NULL DEFAULT '',
    body            TEXT NOT NULL DEFAULT '',
    body_text       TEXT NOT NULL DEFAULT '',
    dateline        TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'draft',
    top             INTEGER NOT NULL DEFAULT 0,
    breaking        INTEGER NOT NULL DEFAULT 0,
    seo_title       TEXT NOT NULL DEFAULT '',
    seo_description TEXT NOT NULL DEFAULT '',
    image_url       TEXT NOT NULL DEFAULT '',
    image_alt       TEXT NOT NULL DEFAULT '',
    image_caption   TEXT NOT NULL DEFAULT '',
    image_credit    TEXT NOT NULL DEFAULT '',
    image_width     INTEGER NOT NULL DEFAULT 0,
    image_height    INTEGER NOT NULL DEFAULT 0,
    image_srcset    TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    published_at    INTEGER,
    updated_at      INTEGER,
    modified_at     INTEGER NOT NULL,
    embargo_until   INTEGER,
    version         INTEGER NOT NULL DEFAULT 1,
    comment_count   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX articles_published ON articles(status, published_at DESC);
CREATE INDEX articles_section ON articles(section_id, status, published_at DESC);

CREATE TABLE article_authors (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    author_id  INTEGER NOT NULL REFERENCES authors(id),
    position   INTEGER NOT NULL,
    PRIMARY KEY (article_id, author_id)
);
CREATE INDEX article_authors_author ON article_authors(author_id);

CREATE TABLE article_tags (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    tag        TEXT NOT NULL,
    position   INTEGER NOT NULL,
    PRIMARY KEY (article_id, tag)
);
CREATE INDEX article_tags_tag ON article_tags(tag);

CREATE TABLE corrections (
    id         INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL DEFAULT 'correction',
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX corrections_article ON corrections(article_id);
CREATE INDEX corrections_created ON corrections(created_at DESC);

CREATE VIRTUAL TABLE articles_fts USING fts5(
    headline, dek, body_text,
    content='articles', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, headline, dek, body_text) VALUES (new.id, new.headline, new.dek, new.body_text);
END;
CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, headline, dek, body_text) VALUES ('delete', old.id, old.headline, old.dek, old.body_text);
END;
CREATE TRIGGER articles_fts_au AFTER UPDATE OF headline, dek, body_text ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, headline, dek, body_text) VALUES ('delete', old.id, old.headline, old.dek, old.body_text);
    INSERT INTO articles_fts(rowid, headline, dek, body_text) VALUES (new.id, new.headline, new.dek, new.body_text);
END;
