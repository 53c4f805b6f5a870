-- The reader dictionary: the newsroom glossary, bilingual dictionaries,
-- and a version number every change bumps (caches of answers key on it).
CREATE TABLE glossary (
    id          INTEGER PRIMARY KEY,
    term        TEXT NOT NULL UNIQUE,
    display     TEXT NOT NULL,
    definition  TEXT NOT NULL,
    pos         TEXT NOT NULL DEFAULT '',
    korean      TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    links       TEXT NOT NULL DEFAULT '[]',
    updated_at  INTEGER NOT NULL,
    updated_by  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE bilingual_dictionaries (
    name        TEXT PRIMARY KEY,
    entries     INTEGER NOT NULL,
    imported_at INTEGER NOT NULL
);

CREATE TABLE bilingual_entries (
    dictionary  TEXT NOT NULL REFERENCES bilingual_dictionaries(name) ON DELETE CASCADE,
    key         TEXT NOT NULL,
    headword    TEXT NOT NULL,
    translation TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX bilingual_entries_key ON bilingual_entries(key, dictionary);
CREATE INDEX bilingual_entries_dictionary ON bilingual_entries(dictionary);

CREATE TABLE dictionary_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO dictionary_version(id, version) VALUES (1, 1);
