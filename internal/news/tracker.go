package news

// TrackerStore keeps the term tracker: saved trackers, the per-bucket
// article totals, and phrase counts.
type TrackerStore interface{}
