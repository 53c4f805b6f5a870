-- articles.search and its GIN index are replaced by article_search (0810).
-- Dropping them only changes the catalogue (no rewrite), in a migration of
-- its own so that the exclusive lock it takes is held for an instant, not
-- for 0810's copy.
DROP INDEX articles_search;
ALTER TABLE articles DROP COLUMN search;
