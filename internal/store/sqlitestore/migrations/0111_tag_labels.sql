-- Tags keep the editor's case for display ("Seoul") in label; tag stays
-- the lowercased key that pages, feeds and filters match on. Tags stored
-- before have an empty label and show as their key.
ALTER TABLE article_tags ADD COLUMN label TEXT NOT NULL DEFAULT '';
