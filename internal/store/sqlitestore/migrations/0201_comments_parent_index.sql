-- Replies are loaded by parent: without this index the comment list of a
-- busy article scans every comment of the paper.
CREATE INDEX IF NOT EXISTS comments_parent ON comments(parent_id);
