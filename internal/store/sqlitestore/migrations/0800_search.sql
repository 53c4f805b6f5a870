-- Search finds articles by their bylines, tags, section and dateline
-- (search_meta) and Korean words inside compounds (search_grams: Hangul
-- bigrams, written by the store on every article write), and suggests
-- spellings from the archive's own words (search_words). articles_fts gains
-- the two columns; its first three (headline, dek, body_text) are unchanged.
-- byline_search_grams and byline_search_words are Go functions the engine
-- registers (store.SearchGrams, store.SearchWords); only this backfill uses
-- them.
ALTER TABLE articles ADD COLUMN search_meta TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN search_grams TEXT NOT NULL DEFAULT '';

CREATE TABLE search_words (
    word TEXT PRIMARY KEY,
    n    INTEGER NOT NULL
) WITHOUT ROWID;

DROP TRIGGER articles_fts_ai;
DROP TRIGGER articles_fts_ad;
DROP TRIGGER articles_fts_au;
DROP TABLE articles_fts;

UPDATE articles SET
    search_meta = articles.dateline || ' ' || coalesce((SELECT name FROM sections WHERE id = articles.section_id), '') || ' ' ||
        coalesce((SELECT string_agg(au.name, ' ' ORDER BY aa.position) FROM article_authors aa JOIN authors au ON au.id = aa.author_id WHERE aa.article_id = articles.id), '') || ' ' ||
        coalesce((SELECT string_agg(t.tag, ' ' ORDER BY t.position) FROM article_tags t WHERE t.article_id = articles.id), ''),
    search_grams = byline_search_grams(headline || ' ' || dek || ' ' || body_text);

INSERT INTO search_words(word, n)
    SELECT w.value, count(*) FROM articles a, json_each(byline_search_words(a.headline || ' ' || a.dek || ' ' || a.body_text || ' ' || a.search_meta)) w
    GROUP BY w.value;

CREATE VIRTUAL TABLE articles_fts USING fts5(
    headline, dek, body_text, search_meta, search_grams,
    content='articles', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2'
);
INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');

CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, headline, dek, body_text, search_meta, search_grams)
        VALUES (new.id, new.headline, new.dek, new.body_text, new.search_meta, new.search_grams);
END;
CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, headline, dek, body_text, search_meta, search_grams)
        VALUES ('delete', old.id, old.headline, old.dek, old.body_text, old.search_meta, old.search_grams);
END;
CREATE TRIGGER articles_fts_au AFTER UPDATE OF headline, dek, body_text, search_meta, search_grams ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, headline, dek, body_text, search_meta, search_grams)
        VALUES ('delete', old.id, old.headline, old.dek, old.body_text, old.search_meta, old.search_grams);
    INSERT INTO articles_fts(rowid, headline, dek, body_text, search_meta, search_grams)
        VALUES (new.id, new.headline, new.dek, new.body_text, new.search_meta, new.search_grams);
END;
