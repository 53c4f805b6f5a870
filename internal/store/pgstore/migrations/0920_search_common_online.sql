-- The commonest lexemes are chosen again, and article_common's masks
-- recomputed, without making article writes wait (TidySearch,
-- search_common.go). The new choice and masks are built beside the
-- tables searches read (search_common_next, article_common_next), while
-- articles go on being written; the trigger notes every article it
-- touches in search_common_dirty. Then, in one short transaction, the
-- articles noted since the build began are masked again by the new
-- choice and the new tables take the old ones' names. Before, one
-- function (search_common_rebuild, dropped here) did it all under a
-- lock that held article writes for about 25 s per 100,000 articles.
--
-- A note is written even when the article has one already (DO UPDATE,
-- not DO NOTHING): the writer then holds the note's row until it
-- commits, so the rebuild's first step, which deletes the notes, waits
-- for it, and its write is in the build's snapshot. With DO NOTHING an
-- article noted earlier and written again while the notes were deleted
-- could be neither in the build nor noted.
CREATE TABLE search_common_dirty (
    id bigint PRIMARY KEY
);

CREATE OR REPLACE FUNCTION article_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v tsvector;
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM article_search WHERE id = OLD.id;
        DELETE FROM article_common WHERE id = OLD.id;
        INSERT INTO search_common_dirty (id) VALUES (OLD.id) ON CONFLICT (id) DO UPDATE SET id = excluded.id;
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
        INSERT INTO search_common_dirty (id) VALUES (NEW.id) ON CONFLICT (id) DO UPDATE SET id = excluded.id;
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
    INSERT INTO search_common_dirty (id) VALUES (NEW.id) ON CONFLICT (id) DO UPDATE SET id = excluded.id;
    RETURN NULL;
END $$;

DROP FUNCTION search_common_rebuild();
