-- The spelling vocabulary comes only from articles readers may see:
-- published and not under embargo. A trigger keeps it (the store no
-- longer writes it): an article's words count once when it becomes public
-- (on insert, on publication, when its embargo lifts), and an edit of a
-- public article adds the words it did not have. A draft's words never
-- enter it. Words of an article later withdrawn stay, as they do when an
-- edit drops them (counts only break ties between suggestions). Words are
-- split as store.SearchWords splits them, and written in order, so that
-- two writers never wait on each other in a cycle.
DELETE FROM search_words;
INSERT INTO search_words(word, n)
    SELECT w, count(DISTINCT a.id)
    FROM articles a, regexp_split_to_table(lower(a.headline || ' ' || a.dek || ' ' || a.body_text || ' ' || a.search_meta), '[^a-z]+') AS w
    WHERE length(w) BETWEEN 3 AND 24 AND a.status = 'published' AND a.embargo_until IS NULL
    GROUP BY w;

CREATE FUNCTION search_words_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    fresh boolean := true;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        fresh := NOT (OLD.status = 'published' AND OLD.embargo_until IS NULL);
    END IF;
    IF fresh THEN
        INSERT INTO search_words(word, n)
            SELECT w, 1 FROM (SELECT DISTINCT w FROM regexp_split_to_table(lower(NEW.headline || ' ' || NEW.dek || ' ' || NEW.body_text || ' ' || NEW.search_meta), '[^a-z]+') AS w
                WHERE length(w) BETWEEN 3 AND 24) x ORDER BY w
            ON CONFLICT (word) DO UPDATE SET n = search_words.n + 1;
    ELSE
        INSERT INTO search_words(word, n)
            SELECT w, 1 FROM (SELECT DISTINCT w FROM regexp_split_to_table(lower(NEW.headline || ' ' || NEW.dek || ' ' || NEW.body_text || ' ' || NEW.search_meta), '[^a-z]+') AS w
                WHERE length(w) BETWEEN 3 AND 24) x ORDER BY w
            ON CONFLICT (word) DO NOTHING;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER search_words_ins AFTER INSERT ON articles
    FOR EACH ROW WHEN (NEW.status = 'published' AND NEW.embargo_until IS NULL)
    EXECUTE FUNCTION search_words_sync();
CREATE TRIGGER search_words_upd AFTER UPDATE OF status, embargo_until, headline, dek, body_text, search_meta ON articles
    FOR EACH ROW WHEN (NEW.status = 'published' AND NEW.embargo_until IS NULL)
    EXECUTE FUNCTION search_words_sync();
