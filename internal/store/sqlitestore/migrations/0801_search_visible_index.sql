-- Search tests the visibility of up to 5,000 candidate matches by id. From
-- the table that means reading each article's row past its body, from
-- overflow pages; this index holds what the test reads, keyed by id.
CREATE INDEX articles_search_visible ON articles(id, status, published_at, embargo_until, section_id);
