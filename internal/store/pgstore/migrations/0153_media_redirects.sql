-- A replaced image's old files answer with a redirect to the files that
-- replaced them (mirrors SQLite's 0153_media_redirects.sql).
CREATE TABLE media_redirects (
    path     text PRIMARY KEY,
    target   text NOT NULL,
    media_id bigint NOT NULL
);
CREATE INDEX media_redirects_target ON media_redirects(target);
CREATE INDEX media_redirects_media ON media_redirects(media_id);
CREATE INDEX media_uploaded_by ON media(uploaded_by, created_at DESC);
