-- The time zone the tracker's days were cut in (empty: not recorded
-- yet). When the paper's zone changes, the indexer queues every indexed
-- article again and drops the kept counts (store/tracker.go).
ALTER TABLE tracker_meta ADD COLUMN zone TEXT NOT NULL DEFAULT '';
-- When each phrase and scope of tracker_counts was last asked: counts
-- nobody asked for in 30 days are pruned (PruneTrackerCounts).
CREATE TABLE tracker_asked (
    phrase   TEXT PRIMARY KEY,
    asked_at INTEGER NOT NULL
) WITHOUT ROWID;
