-- Merge the full-text index's segments into one. An index built article
-- by article (or rebuilt by 0800) is a stack of segments (18 on a
-- 100,000-article archive), and every search term is looked up and its
-- matches merged across all of them: a third to a half of a search's CPU
-- on such an archive (bench/README.md). New articles add small segments
-- again, which FTS5 merges as it goes; running 'optimize' again later
-- (sqlite3 byline.db "INSERT INTO articles_fts(articles_fts) VALUES('optimize')")
-- restores the single segment. It rewrites the index once: seconds for
-- 100,000 articles.
INSERT INTO articles_fts(articles_fts) VALUES ('optimize');
