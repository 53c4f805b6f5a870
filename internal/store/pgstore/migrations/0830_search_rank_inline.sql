-- head and lead, the small vectors search ranks its candidates by, are
-- kept in the row. With the default storage (EXTENDED) PostgreSQL moved
-- them to TOAST, because words (MAIN) alone is over the 2 kB at which a
-- row is toasted: ranking 501 candidates then read about 3,700 TOAST
-- buffers, 5 ms of a 10 ms search for "shipbuilder" over 100,000
-- articles. MAIN keeps a value in the row unless the row would not fit a
-- page. search (the whole vector, read only to check Korean phrases)
-- goes out of the row first.
--
-- SET STORAGE changes only what is written next, so the table is built
-- again: a copy in the order the walk from the newest reads it, indexes
-- made after the copy, then the names swapped. The triggers' function
-- names article_search, which then means the new table.
CREATE TABLE article_search_next (
    id            bigint PRIMARY KEY,
    status        text NOT NULL,
    published_at  timestamptz,
    embargo_until timestamptz,
    section_id    bigint NOT NULL,
    head          tsvector NOT NULL,
    lead          tsvector NOT NULL,
    words         tsvector NOT NULL,
    search        tsvector NOT NULL
);
ALTER TABLE article_search_next ALTER COLUMN head SET STORAGE MAIN;
ALTER TABLE article_search_next ALTER COLUMN lead SET STORAGE MAIN;
ALTER TABLE article_search_next ALTER COLUMN words SET STORAGE MAIN;
ALTER TABLE article_search_next ALTER COLUMN search SET STORAGE EXTERNAL;

-- Writers of articles wait (their trigger writes article_search) until
-- the swap commits; readers of the old table go on meanwhile.
LOCK TABLE article_search IN SHARE MODE;
INSERT INTO article_search_next SELECT id, status, published_at, embargo_until, section_id, head, lead, words, search
    FROM article_search ORDER BY published_at NULLS FIRST, id;
DROP TABLE article_search;
ALTER TABLE article_search_next RENAME TO article_search;
ALTER INDEX article_search_next_pkey RENAME TO article_search_pkey;
CREATE INDEX article_search_words ON article_search USING gin (words) WITH (fastupdate = off);
CREATE INDEX article_search_newest ON article_search (published_at DESC NULLS LAST, id DESC);
ANALYZE article_search;
