-- The spelling vocabulary comes only from articles readers may see:
-- published and not under embargo. Triggers keep it (the store no longer
-- writes it): an article's words count once when it becomes public (on
-- insert, on publication, when its embargo lifts), and an edit of a
-- public article adds the words it did not have. A draft's words never
-- enter it. Words of an article later withdrawn stay, as they do when an
-- edit drops them (counts only break ties between suggestions).
-- byline_search_words is store.SearchWords, registered by the engine.
DELETE FROM search_words;
INSERT INTO search_words(word, n)
    SELECT w.value, count(*) FROM articles a, json_each(byline_search_words(a.headline || ' ' || a.dek || ' ' || a.body_text || ' ' || a.search_meta)) w
    WHERE a.status = 'published' AND a.embargo_until IS NULL
    GROUP BY w.value;

CREATE TRIGGER search_words_ai AFTER INSERT ON articles
WHEN new.status = 'published' AND new.embargo_until IS NULL BEGIN
    INSERT INTO search_words(word, n)
        SELECT value, 1 FROM json_each(byline_search_words(new.headline || ' ' || new.dek || ' ' || new.body_text || ' ' || new.search_meta)) WHERE true
        ON CONFLICT(word) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER search_words_public AFTER UPDATE OF status, embargo_until ON articles
WHEN new.status = 'published' AND new.embargo_until IS NULL AND NOT (old.status = 'published' AND old.embargo_until IS NULL) BEGIN
    INSERT INTO search_words(word, n)
        SELECT value, 1 FROM json_each(byline_search_words(new.headline || ' ' || new.dek || ' ' || new.body_text || ' ' || new.search_meta)) WHERE true
        ON CONFLICT(word) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER search_words_edit AFTER UPDATE OF headline, dek, body_text, search_meta ON articles
WHEN new.status = 'published' AND new.embargo_until IS NULL AND old.status = 'published' AND old.embargo_until IS NULL BEGIN
    INSERT INTO search_words(word, n)
        SELECT value, 1 FROM json_each(byline_search_words(new.headline || ' ' || new.dek || ' ' || new.body_text || ' ' || new.search_meta)) WHERE true
        ON CONFLICT(word) DO NOTHING;
END;
