-- The media library: uploaded images and their renditions (JSON list).
CREATE TABLE media (
    id          INTEGER PRIMARY KEY,
    path        TEXT NOT NULL UNIQUE,
    mime        TEXT NOT NULL,
    width       INTEGER NOT NULL,
    height      INTEGER NOT NULL,
    bytes       INTEGER NOT NULL,
    alt         TEXT NOT NULL,
    caption     TEXT NOT NULL DEFAULT '',
    credit      TEXT NOT NULL DEFAULT '',
    uploaded_by INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    renditions  TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX media_created ON media(created_at DESC, id DESC);
