package pgstore

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// ChangeChannel is the LISTEN/NOTIFY channel on which servers sharing a
// database tell each other what changed (so each drops its cached pages).
const ChangeChannel = "byline_changes"

// Publish sends payload to every server listening on ChangeChannel,
// this one included (the payload says who sent it). PostgreSQL delivers
// notifications of a committed transaction only, in commit order; a
// payload must stay under 8000 bytes.
func (s *Store) Publish(ctx context.Context, payload []byte) error {
	_, err := s.pool.Exec(ctx, `SELECT pg_notify($1, $2)`, ChangeChannel, string(payload))
	return err
}

// Subscribe listens on ChangeChannel on a connection of its own (outside
// the pool, which it must not hold forever) and calls fn with each
// payload until ctx ends. When the connection drops it reconnects with
// back-off (100 ms doubling to 10 s); connected is called each time
// LISTEN is in force again, the first time included: notifications sent
// while nobody listened are lost, so the caller must assume anything may
// have changed; dropped is told why a connection ended.
func (s *Store) Subscribe(ctx context.Context, fn func(payload []byte), connected func(), dropped func(error)) error {
	const minWait, maxWait = 100 * time.Millisecond, 10 * time.Second
	wait := minWait
	for {
		err := s.listen(ctx, fn, func() {
			wait = minWait
			if connected != nil {
				connected()
			}
		})
		if ctx.Err() != nil {
			return nil
		}
		if dropped != nil {
			dropped(err)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		wait = min(2*wait, maxWait)
	}
}

// listen runs one LISTEN session until its connection fails.
func (s *Store) listen(ctx context.Context, fn func([]byte), connected func()) error {
	conn, err := pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig.Copy())
	if err != nil {
		return err
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = conn.Close(cctx)
	}()
	if _, err := conn.Exec(ctx, `LISTEN `+pgx.Identifier{ChangeChannel}.Sanitize()); err != nil {
		return err
	}
	connected()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		if n.Channel == ChangeChannel {
			fn([]byte(n.Payload))
		}
	}
}
