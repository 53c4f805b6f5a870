-- The term tracker's own index (docs/tracker.md, "How it is kept"): for
-- each token and day, the articles of that day containing it and the
-- token's positions in each (store/trackerpost.go encodes them). A phrase
-- is counted by reading its tokens' rows for the days asked and matching
-- positions, never the articles' text.
CREATE TABLE tracker_posts (
    term TEXT NOT NULL,
    day  INTEGER NOT NULL,
    post BLOB NOT NULL,
    PRIMARY KEY (term, day)
) WITHOUT ROWID;
-- What is indexed already is indexed again, to fill it.
INSERT OR IGNORE INTO tracker_queue(article_id) SELECT article_id FROM tracker_docs;
