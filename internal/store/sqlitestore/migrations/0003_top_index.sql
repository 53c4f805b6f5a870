-- The front page asks for the newest top stories; a handful of articles
-- among many thousands, found without walking the whole archive.
CREATE INDEX articles_top ON articles(published_at DESC, embargo_until) WHERE top = 1 AND status = 'published';
