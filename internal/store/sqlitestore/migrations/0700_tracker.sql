-- The term tracker (docs/tracker.md). Every write to an article, its tags
-- or its bylines queues the article; the server's indexer (Go: it cuts
-- text into the tracker's tokens) then keeps tracker_docs, the full-text
-- index over it, and the per-day totals of published articles.
CREATE TABLE tracker_queue (
    article_id INTEGER PRIMARY KEY
);
-- One row per published article: its day (in the paper's time zone),
-- section, the scope keys it is counted under in tracker_totals, and its text as
-- tokens ("|self||reliance|"). No foreign key: a deleted article's row
-- stays until the indexer takes its counts back.
CREATE TABLE tracker_docs (
    article_id INTEGER PRIMARY KEY,
    day        INTEGER NOT NULL,
    section_id INTEGER NOT NULL,
    scopes     TEXT NOT NULL,
    toks       TEXT NOT NULL
);
CREATE INDEX tracker_docs_day ON tracker_docs(day);
CREATE VIRTUAL TABLE tracker_fts USING fts5(
    toks, content='tracker_docs', content_rowid='article_id',
    tokenize='unicode61 remove_diacritics 0'
);
CREATE TRIGGER tracker_docs_ai AFTER INSERT ON tracker_docs BEGIN
    INSERT INTO tracker_fts(rowid, toks) VALUES (new.article_id, new.toks);
END;
CREATE TRIGGER tracker_docs_ad AFTER DELETE ON tracker_docs BEGIN
    INSERT INTO tracker_fts(tracker_fts, rowid, toks) VALUES ('delete', old.article_id, old.toks);
END;
CREATE TRIGGER tracker_docs_au AFTER UPDATE OF toks ON tracker_docs BEGIN
    INSERT INTO tracker_fts(tracker_fts, rowid, toks) VALUES ('delete', old.article_id, old.toks);
    INSERT INTO tracker_fts(rowid, toks) VALUES (new.article_id, new.toks);
END;
-- Published articles per scope ('*', 's:<section id>', 'a:<author id>',
-- 't:<tag>') and day: the denominator of shares, without a second search.
CREATE TABLE tracker_totals (
    scope    TEXT NOT NULL,
    day      INTEGER NOT NULL,
    articles INTEGER NOT NULL,
    PRIMARY KEY (scope, day)
) WITHOUT ROWID;

CREATE TRIGGER tracker_q_articles_ai AFTER INSERT ON articles BEGIN
    INSERT OR IGNORE INTO tracker_queue(article_id) VALUES (new.id);
END;
CREATE TRIGGER tracker_q_articles_au AFTER UPDATE OF status, published_at, section_id, headline, dek, body_text ON articles BEGIN
    INSERT OR IGNORE INTO tracker_queue(article_id) VALUES (new.id);
END;
CREATE TRIGGER tracker_q_articles_ad AFTER DELETE ON articles BEGIN
    INSERT OR IGNORE INTO tracker_queue(article_id) VALUES (old.id);
END;
CREATE TRIGGER tracker_q_tags_ai AFTER INSERT ON article_tags BEGIN
    INSERT OR IGNORE INTO tracker_queue(article_id) VALUES (new.article_id);
END;
CREATE TRIGGER tracker_q_tags_ad AFTER DELETE ON article_tags BEGIN
    INSERT OR IGNORE INTO tracker_queue(article_id) VALUES (old.article_id);
END;
CREATE TRIGGER tracker_q_authors_ai AFTER INSERT ON article_authors BEGIN
    INSERT OR IGNORE INTO tracker_queue(article_id) VALUES (new.article_id);
END;
CREATE TRIGGER tracker_q_authors_ad AFTER DELETE ON article_authors BEGIN
    INSERT OR IGNORE INTO tracker_queue(article_id) VALUES (old.article_id);
END;
-- What is already published is indexed by the first server that starts.
INSERT INTO tracker_queue(article_id) SELECT id FROM articles WHERE status = 'published';

-- Saved trackers. phrases: one a line.
CREATE TABLE trackers (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    phrases     TEXT NOT NULL,
    interval    TEXT NOT NULL,
    measure     TEXT NOT NULL,
    share       INTEGER NOT NULL DEFAULT 0,
    scope_kind  TEXT NOT NULL DEFAULT '',
    scope_id    INTEGER NOT NULL DEFAULT 0,
    scope_tag   TEXT NOT NULL DEFAULT '',
    buckets     INTEGER NOT NULL,
    published   INTEGER NOT NULL DEFAULT 0,
    alerts      INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
-- Spikes already announced (once per tracker, phrase and bucket, however
-- many servers look).
CREATE TABLE tracker_spikes (
    tracker_id INTEGER NOT NULL REFERENCES trackers(id) ON DELETE CASCADE,
    phrase     TEXT NOT NULL,
    day        INTEGER NOT NULL,
    at         INTEGER NOT NULL,
    PRIMARY KEY (tracker_id, phrase, day)
);
