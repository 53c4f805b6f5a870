-- Counts of the phrases asked, per scope and day, as an editor counts
-- them (every published article): a day is counted once and kept until
-- the tracker's indexer changes one of its documents (it deletes the
-- day's rows and moves tracker_meta.gen in the same transaction).
-- phrase: scope key, a space, the phrase's token form.
CREATE TABLE tracker_counts (
    phrase      TEXT NOT NULL,
    day         INTEGER NOT NULL,
    articles    INTEGER NOT NULL,
    occurrences INTEGER NOT NULL,
    PRIMARY KEY (phrase, day)
);
CREATE INDEX tracker_counts_day ON tracker_counts(day);
CREATE TABLE tracker_meta (
    id  INTEGER PRIMARY KEY,
    gen BIGINT NOT NULL
);
INSERT INTO tracker_meta(id, gen) VALUES (1, 0);
