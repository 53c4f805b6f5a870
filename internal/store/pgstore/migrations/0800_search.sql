-- Search finds articles by their bylines, tags, section and dateline
-- (search_meta) and Korean words inside compounds (search_grams: Hangul
-- bigrams, written by the store on every article write), and suggests
-- spellings from the archive's own words (search_words). The search
-- tsvector gains the meta at weight B (as the dek) and the bigrams at D (first, so that their
-- positions stay below tsvector's limit of 16,383 for phrase matching); its
-- headline/dek/body parts are unchanged. The backfill below computes the
-- bigrams and words as store.SearchGrams and store.SearchWords do.
ALTER TABLE articles ADD COLUMN search_meta TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN search_grams TEXT NOT NULL DEFAULT '';

CREATE TABLE search_words (
    word TEXT PRIMARY KEY,
    n    BIGINT NOT NULL
);

UPDATE articles SET
    search_meta = articles.dateline || ' ' || coalesce((SELECT name FROM sections WHERE id = articles.section_id), '') || ' ' ||
        coalesce((SELECT string_agg(au.name, ' ' ORDER BY aa.position) FROM article_authors aa JOIN authors au ON au.id = aa.author_id WHERE aa.article_id = articles.id), '') || ' ' ||
        coalesce((SELECT string_agg(t.tag, ' ' ORDER BY t.position) FROM article_tags t WHERE t.article_id = articles.id), ''),
    search_grams = coalesce((
        SELECT string_agg(substr(m.r[1], i, 2), ' ' ORDER BY m.n, i)
        FROM regexp_matches(headline || ' ' || dek || ' ' || body_text, '[가-힣]{2,}', 'g') WITH ORDINALITY AS m(r, n),
            generate_series(1, char_length(m.r[1]) - 1) AS i), '');

INSERT INTO search_words(word, n)
    SELECT w, count(DISTINCT a.id)
    FROM articles a, regexp_split_to_table(lower(a.headline || ' ' || a.dek || ' ' || a.body_text || ' ' || a.search_meta), '[^a-z]+') AS w
    WHERE length(w) BETWEEN 3 AND 24
    GROUP BY w;

DROP INDEX articles_search;
ALTER TABLE articles DROP COLUMN search;
ALTER TABLE articles ADD COLUMN search tsvector NOT NULL GENERATED ALWAYS AS (
    setweight(to_tsvector('simple'::regconfig, search_grams), 'D') ||
    setweight(to_tsvector('english'::regconfig, headline), 'A') ||
    setweight(to_tsvector('english'::regconfig, dek), 'B') ||
    setweight(to_tsvector('english'::regconfig, body_text), 'C') ||
    setweight(to_tsvector('english'::regconfig, search_meta), 'B')
) STORED;
CREATE INDEX articles_search ON articles USING gin (search) WITH (fastupdate = off);
