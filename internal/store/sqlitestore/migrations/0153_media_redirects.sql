-- A replaced image's old files (original and renditions) answer with a
-- redirect to the files that replaced them; deleting the item drops them.
CREATE TABLE media_redirects (
    path     TEXT PRIMARY KEY,
    target   TEXT NOT NULL,
    media_id INTEGER NOT NULL
);
CREATE INDEX media_redirects_target ON media_redirects(target);
CREATE INDEX media_redirects_media ON media_redirects(media_id);
CREATE INDEX media_uploaded_by ON media(uploaded_by, created_at DESC);
