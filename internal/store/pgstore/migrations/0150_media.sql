-- The media library (mirrors SQLite's 0150_media.sql).
CREATE TABLE media (
    id          bigserial PRIMARY KEY,
    path        text NOT NULL UNIQUE,
    mime        text NOT NULL,
    width       integer NOT NULL,
    height      integer NOT NULL,
    bytes       bigint NOT NULL,
    alt         text NOT NULL,
    caption     text NOT NULL DEFAULT '',
    credit      text NOT NULL DEFAULT '',
    uploaded_by bigint NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL,
    renditions  jsonb NOT NULL DEFAULT '[]'
);
CREATE INDEX media_created ON media(created_at DESC, id DESC);
