-- Token buckets for rate limits shared by every server on the database
-- (comments per reader and per address). tokens left at time at (Unix
-- seconds with a fraction), refilled on the next take.
CREATE TABLE rate_buckets (
	name TEXT PRIMARY KEY,
	tokens DOUBLE PRECISION NOT NULL,
	at DOUBLE PRECISION NOT NULL
);
