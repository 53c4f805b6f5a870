package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// TakeToken takes one token from the bucket named key, which refills at
// perMinute tokens a minute up to burst, and says whether there was one.
// The bucket is a row of rate_buckets updated in one statement, so every
// server on the database draws from the same bucket: two servers allow
// the same rate as one. A limit of 0 or less means no limit.
func (db *DB) TakeToken(ctx context.Context, key string, perMinute float64, burst int, now time.Time) (bool, error) {
	if perMinute <= 0 {
		return true, nil
	}
	full := float64(max(1, burst))
	at := float64(now.UnixMicro()) / 1e6
	// refilled is the bucket's tokens at now: what was left plus what
	// dripped in since (never negative time: servers' clocks differ a
	// little), capped at full.
	const refilled = `(CASE WHEN rate_buckets.tokens + (CASE WHEN excluded.at > rate_buckets.at THEN excluded.at - rate_buckets.at ELSE 0 END) * CAST(? AS DOUBLE PRECISION) > CAST(? AS DOUBLE PRECISION)
		THEN CAST(? AS DOUBLE PRECISION)
		ELSE rate_buckets.tokens + (CASE WHEN excluded.at > rate_buckets.at THEN excluded.at - rate_buckets.at ELSE 0 END) * CAST(? AS DOUBLE PRECISION) END)`
	rate := perMinute / 60
	var left float64
	err := db.w.QueryRowContext(ctx, db.q(`INSERT INTO rate_buckets (name, tokens, at) VALUES (?, CAST(? AS DOUBLE PRECISION), CAST(? AS DOUBLE PRECISION))
		ON CONFLICT (name) DO UPDATE SET tokens = `+refilled+` - 1,
			at = CASE WHEN excluded.at > rate_buckets.at THEN excluded.at ELSE rate_buckets.at END
		WHERE `+refilled+` >= 1
		RETURNING tokens`),
		key, full-1, at,
		rate, full, full, rate,
		rate, full, full, rate).Scan(&left)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil // the WHERE refused: the bucket is empty
	}
	if err != nil {
		return false, fmt.Errorf("rate limit: %w", err)
	}
	return true, nil
}

// SweepTokens forgets buckets untouched since before (they are full again
// by then, as good as absent).
func (db *DB) SweepTokens(ctx context.Context, before time.Time) error {
	_, err := db.w.ExecContext(ctx, db.q(`DELETE FROM rate_buckets WHERE at < CAST(? AS DOUBLE PRECISION)`), float64(before.UnixMicro())/1e6)
	return err
}
