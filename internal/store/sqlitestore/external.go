package sqlitestore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"byline/internal/news"
)

// ExternalPoll is how often a serving process asks SQLite whether another
// process (a CLI import, `user add`, `restore`…) wrote to the database.
// One PRAGMA on the writer connection: a few microseconds each time.
const ExternalPoll = 500 * time.Millisecond

// ExternalSender names the sender of the changes Subscribe reports, so
// the server does not take them for its own.
const ExternalSender = "another-process"

// Publish does nothing: one SQLite database is served by one process, so
// there is no other server to tell. Other processes' writes are noticed
// by Subscribe instead.
func (s *Store) Publish(ctx context.Context, payload []byte) error { return nil }

// Subscribe watches for writes made by other processes and calls fn with
// a news.ChangeAll (the server reloads what it keeps in memory and drops
// every cached page) within ExternalPoll of their commit, counting from
// Open: writes made between Open and Subscribe are reported at once. It
// runs until ctx ends.
//
// PRAGMA data_version changes when a connection other than the one asking
// commits. This process writes only through s.w (one connection), so
// asked on s.w it changes exactly when another process wrote. Should the
// writer connection be replaced (after a driver error) the value may
// jump once: that costs one needless refresh, never a missed one.
func (s *Store) Subscribe(ctx context.Context, fn func(payload []byte), connected func(), dropped func(error)) error {
	payload, _ := json.Marshal(struct {
		Server string `json:"server"`
		news.Change
	}{ExternalSender, news.Change{Kind: news.ChangeAll}})
	// The count starts from Open, not from here: the server loaded what
	// it keeps in memory after Open, and this goroutine may first get the
	// writer connection seconds later (a loaded machine, the tracker's
	// first indexing), after another process already wrote.
	last := s.opened
	// connected is not called: unlike a dropped LISTEN connection, the
	// poll misses nothing while it starts or retries (data_version counts
	// every commit since the last read).
	for first := true; first || sleep(ctx, ExternalPoll); first = false {
		v, err := s.dataVersion(ctx)
		if err != nil {
			if ctx.Err() == nil && dropped != nil {
				dropped(err)
			}
			continue
		}
		if v != last {
			last = v
			fn(payload)
		}
	}
	return nil
}

func (s *Store) dataVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := s.w.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&v); err != nil {
		return 0, fmt.Errorf("read data_version: %w", err)
	}
	return v, nil
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
