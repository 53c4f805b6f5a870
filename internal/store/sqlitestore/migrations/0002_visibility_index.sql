-- Lists, feeds and sitemaps filter on the visibility rule (status,
-- published_at, embargo_until); with all three in the index SQLite counts
-- and pages without reading article rows.
CREATE INDEX articles_visible ON articles(status, published_at DESC, embargo_until);
CREATE INDEX articles_section_visible ON articles(section_id, status, published_at DESC, embargo_until);
DROP INDEX articles_published;
DROP INDEX articles_section;
