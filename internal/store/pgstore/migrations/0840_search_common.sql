-- A light walk for common words. Walking article_search from the newest
-- (search_plan.go) reads rows of about 3 kB to test their words: memory-
-- bound work, 2.4-9 ms for the 4,854 rows "chip exports" needs over
-- 100,000 articles. article_common holds, per article, the columns that
-- say whether readers may see it and a 1,024-bit mask of which of the
-- archive's commonest lexemes (search_common, at most 1,024, each with
-- its bit) its words have, and the same of its headline's and of its
-- dek's and byline line's words, which rank it: about 450 bytes a row. A word search walks
-- for is always among the commonest (the walk is only taken for words in
-- more than a few per cent of articles), so for such a query the masks
-- answer exactly: an article (its headline) has all the words when it has
-- all their bits.
--
-- The masks follow search_common: the trigger computes a new article's
-- with the lexemes there are, and search_common_rebuild() (after a
-- migration, migrate-data, an import: TidySearch) chooses the commonest
-- lexemes again from ANALYZE's statistics and recomputes every mask, in
-- one transaction, writers of articles waiting meanwhile. A search reads
-- search_common and article_common in one snapshot, so it never mixes
-- one choice's bits with another's. A query with a lexeme outside
-- search_common walks article_search as before.
CREATE TABLE search_common (
    lexeme text PRIMARY KEY,
    mask   bit(1024) NOT NULL
);

CREATE TABLE article_common (
    id            bigint PRIMARY KEY,
    status        text NOT NULL,
    published_at  timestamptz,
    embargo_until timestamptz,
    common        bit(1024) NOT NULL, -- of the words
    head_common   bit(1024) NOT NULL, -- of the headline's (article_search.head)
    lead_common   bit(1024) NOT NULL  -- of the dek's and byline line's (lead)
);
CREATE INDEX article_common_newest ON article_common (published_at DESC NULLS LAST, id DESC);

-- The bits of a vector's lexemes that are in search_common.
CREATE FUNCTION search_common_mask(v tsvector) RETURNS bit(1024) LANGUAGE sql STABLE AS $$
    SELECT coalesce(bit_or(c.mask), repeat('0', 1024)::bit(1024))
    FROM search_common c WHERE c.lexeme = ANY(tsvector_to_array(v))
$$;

CREATE FUNCTION search_common_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE search_common, article_common IN EXCLUSIVE MODE;
    DELETE FROM search_common;
    INSERT INTO search_common (lexeme, mask)
        SELECT x.lex, set_bit(repeat('0', 1024)::bit(1024), (x.n - 1)::int, 1)
        FROM (SELECT m.lex, row_number() OVER (ORDER BY m.f DESC, m.lex) AS n
              FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
              JOIN pg_stats s ON s.schemaname = ns.nspname AND s.tablename = c.relname AND s.attname = 'words',
              unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS m(lex, f)
              -- the frequencies end with three more numbers (least, greatest, empty)
              WHERE c.oid = 'article_search'::regclass AND m.lex IS NOT NULL) x
        WHERE x.n <= 1024;
    DELETE FROM article_common;
    INSERT INTO article_common (id, status, published_at, embargo_until, common, head_common, lead_common)
        SELECT a.id, a.status, a.published_at, a.embargo_until, coalesce(m.mask, repeat('0', 1024)::bit(1024)),
            search_common_mask(a.head), search_common_mask(a.lead)
        FROM article_search a LEFT JOIN (
            SELECT s.id, bit_or(c.mask) AS mask
            FROM article_search s CROSS JOIN LATERAL unnest(tsvector_to_array(s.words)) AS l(lex)
            JOIN search_common c ON c.lexeme = l.lex
            GROUP BY s.id) m ON m.id = a.id
        ORDER BY a.published_at NULLS FIRST, a.id;
END $$;

CREATE OR REPLACE FUNCTION article_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v tsvector;
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM article_search WHERE id = OLD.id;
        DELETE FROM article_common WHERE id = OLD.id;
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.headline = OLD.headline AND NEW.dek = OLD.dek AND NEW.body_text = OLD.body_text
        AND NEW.search_meta = OLD.search_meta AND NEW.search_grams = OLD.search_grams THEN
        UPDATE article_search SET status = NEW.status, published_at = NEW.published_at,
            embargo_until = NEW.embargo_until, section_id = NEW.section_id
        WHERE id = NEW.id;
        UPDATE article_common SET status = NEW.status, published_at = NEW.published_at,
            embargo_until = NEW.embargo_until
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
    INSERT INTO article_common AS c (id, status, published_at, embargo_until, common, head_common, lead_common)
        VALUES (NEW.id, NEW.status, NEW.published_at, NEW.embargo_until, search_common_mask(v),
            search_common_mask(ts_filter(v, '{a}')), search_common_mask(ts_filter(v, '{b}')))
        ON CONFLICT (id) DO UPDATE SET status = excluded.status, published_at = excluded.published_at,
            embargo_until = excluded.embargo_until, common = excluded.common,
            head_common = excluded.head_common, lead_common = excluded.lead_common;
    RETURN NULL;
END $$;

ANALYZE article_search;
SELECT search_common_rebuild();
ANALYZE article_common;
