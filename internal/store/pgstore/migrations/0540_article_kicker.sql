-- The kicker: a short label over an article's headline ("Analysis").
ALTER TABLE articles ADD COLUMN kicker text NOT NULL DEFAULT '';
