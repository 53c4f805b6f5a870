-- Search reads a narrow table of its own instead of articles. Choosing the
-- newest matches from articles meant reading each candidate's search
-- vector from TOAST (about 45 ms for "housing" over 100,000 articles), or,
-- through the GIN index, visiting every match's wide heap page.
--
-- words is the vector without positions or weights (strip), kept in the
-- row (storage MAIN: compressed in place, moved to TOAST only if the row
-- would not fit a page, while search goes to TOAST first), so that
-- walking the newest articles and testing each reads no TOAST. Its GIN index answers rare words; the
-- planner picks. search, the whole vector (TOAST), only rechecks Korean
-- phrases of bigrams, which need positions. head and lead are the
-- headline (A) and dek/byline-line (B) words, small, for ranking.
--
-- Triggers on articles keep the table current, deletions included (no
-- foreign key: checking one would lock every article row during the
-- copy); the vector is the expression articles.search was generated with
-- (0800). They are made before the copy, in this migration's transaction:
-- a writer that comes meanwhile waits for the migration to end and is
-- then indexed; readers of articles never wait (the copy takes no lock
-- they conflict with).
CREATE TABLE article_search (
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
ALTER TABLE article_search ALTER COLUMN words SET STORAGE MAIN;

CREATE FUNCTION article_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v tsvector;
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM article_search WHERE id = OLD.id;
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.headline = OLD.headline AND NEW.dek = OLD.dek AND NEW.body_text = OLD.body_text
        AND NEW.search_meta = OLD.search_meta AND NEW.search_grams = OLD.search_grams THEN
        UPDATE article_search SET status = NEW.status, published_at = NEW.published_at,
            embargo_until = NEW.embargo_until, section_id = NEW.section_id
        WHERE id = NEW.id;
        RETURN NULL;
    END IF;
    v := setweight(to_tsvector('simple'::regconfig, NEW.search_grams), 'D') ||
        setweight(to_tsvector('english'::regconfig, NEW.headline), 'A') ||
        setweight(to_tsvector('english'::regconfig, NEW.dek), 'B') ||
        setweight(to_tsvector('english'::regconfig, NEW.body_text), 'C') ||
        setweight(to_tsvector('english'::regconfig, NEW.search_meta), 'B');
    INSERT INTO article_search AS s (id, status, published_at, embargo_until, section_id, head, lead, words, search)
        VALUES (NEW.id, NEW.status, NEW.published_at, NEW.embargo_until, NEW.section_id,
            ts_filter(v, '{a}'), ts_filter(v, '{b}'), strip(v), v)
        ON CONFLICT (id) DO UPDATE SET status = excluded.status, published_at = excluded.published_at,
            embargo_until = excluded.embargo_until, section_id = excluded.section_id,
            head = excluded.head, lead = excluded.lead, words = excluded.words, search = excluded.search;
    RETURN NULL;
END $$;

CREATE TRIGGER article_search_ins AFTER INSERT OR DELETE ON articles
    FOR EACH ROW EXECUTE FUNCTION article_search_sync();
-- Only changes search reads: a comment count or a version number alone
-- leaves the table be.
CREATE TRIGGER article_search_upd AFTER UPDATE ON articles
    FOR EACH ROW WHEN (NEW.headline IS DISTINCT FROM OLD.headline OR NEW.dek IS DISTINCT FROM OLD.dek
        OR NEW.body_text IS DISTINCT FROM OLD.body_text OR NEW.search_meta IS DISTINCT FROM OLD.search_meta
        OR NEW.search_grams IS DISTINCT FROM OLD.search_grams OR NEW.status IS DISTINCT FROM OLD.status
        OR NEW.published_at IS DISTINCT FROM OLD.published_at OR NEW.embargo_until IS DISTINCT FROM OLD.embargo_until
        OR NEW.section_id IS DISTINCT FROM OLD.section_id)
    EXECUTE FUNCTION article_search_sync();

-- The existing vectors are copied, not computed again, oldest first (the
-- newest rows then share pages, which the walk from the newest reads).
INSERT INTO article_search (id, status, published_at, embargo_until, section_id, head, lead, words, search)
    SELECT id, status, published_at, embargo_until, section_id, ts_filter(search, '{a}'), ts_filter(search, '{b}'), strip(search), search
    FROM articles ORDER BY published_at NULLS FIRST, id;

CREATE INDEX article_search_words ON article_search USING gin (words) WITH (fastupdate = off);
CREATE INDEX article_search_newest ON article_search (published_at DESC NULLS LAST, id DESC);
ANALYZE article_search;
