package cli_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"byline/internal/news"
	"byline/internal/store/pgstore"
	"byline/internal/store/sqlitestore"
)

// writeLog appends five decisions and a settings change through the store.
func writeLog(t *testing.T, st news.Store) {
	t.Helper()
	ctx := context.Background()
	for i := range 5 {
		e := &news.ModerationEntry{Actor: "desk@example.com", Action: "remove", CommentID: int64(i + 1), Clause: "2",
			Note: "The comment insults another reader.", DecisionID: fmt.Sprintf("dec-%d", i), PolicyVersion: 1, CreatedAt: time.Now()}
		if err := st.AddModerationEntry(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.AddModerationEntry(ctx, &news.ModerationEntry{Actor: "desk@example.com", Action: "settings", Note: "mode hold"}); err != nil {
		t.Fatal(err)
	}
}

// tamperCases change the log behind the application's back; each must be
// caught, naming the entry.
var tamperCases = []struct {
	name, sql, want string
}{
	{"changed note", `UPDATE moderation_log SET note = 'The comment was fine.' WHERE decision_id = 'dec-2'`, "does not match its hash"},
	{"changed clause", `UPDATE moderation_log SET clause = '3' WHERE decision_id = 'dec-1'`, "does not match its hash"},
	{"removed entry", `DELETE FROM moderation_log WHERE decision_id = 'dec-3'`, "does not follow"},
	{"hash wiped", `UPDATE moderation_log SET hash = '', prev_hash = '' WHERE decision_id = 'dec-4'`, "does not follow"},
}

func TestModerationVerifySQLite(t *testing.T) {
	for _, tc := range tamperCases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "byline.db")
			st, err := sqlitestore.Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			writeLog(t, st)
			st.Close()
			r := run(t, nil, "moderation", "verify", "--data", dir)
			if r.code != 0 || !strings.Contains(r.stdout, "verified: 6 entries, chain intact") {
				t.Fatalf("untouched: code %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
			}
			db, err := sql.Open("sqlite", path)
			if err != nil {
				t.Fatal(err)
			}
			// The database refuses the change; a determined editor of the
			// file drops the triggers first.
			if _, err := db.Exec(tc.sql); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Fatalf("%s with the triggers in place: %v, want refused as append-only", tc.name, err)
			}
			if _, err := db.Exec(`DROP TRIGGER moderation_log_no_update; DROP TRIGGER moderation_log_no_delete`); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec(tc.sql); err != nil {
				t.Fatal(err)
			}
			db.Close()
			r = run(t, nil, "moderation", "verify", "--data", dir)
			if r.code == 0 || !strings.Contains(r.stderr, tc.want) || !strings.Contains(r.stderr, "entry ") {
				t.Errorf("after %s: code %d, stderr %q, want a failure saying %q", tc.name, r.code, r.stderr, tc.want)
			}
		})
	}
	if r := run(t, nil, "moderation", "frobnicate"); r.code == 0 || !strings.Contains(r.stderr, "unknown subcommand") {
		t.Errorf("unknown subcommand: code %d, stderr %q", r.code, r.stderr)
	}
}

func TestModerationVerifyPostgres(t *testing.T) {
	for _, tc := range tamperCases {
		t.Run(tc.name, func(t *testing.T) {
			url := freshDatabase(t, "modverify")
			ctx := context.Background()
			st, err := pgstore.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			writeLog(t, st)
			st.Close()
			dir := t.TempDir()
			r := run(t, nil, "moderation", "verify", "--data", dir, "--database", url)
			if r.code != 0 || !strings.Contains(r.stdout, "verified: 6 entries, chain intact") {
				t.Fatalf("untouched: code %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
			}
			c, err := pgx.Connect(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Exec(ctx, tc.sql); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Fatalf("%s with the trigger in place: %v, want refused as append-only", tc.name, err)
			}
			if _, err := c.Exec(ctx, `DROP TRIGGER moderation_log_no_change ON moderation_log`); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Exec(ctx, tc.sql); err != nil {
				t.Fatal(err)
			}
			c.Close(ctx)
			r = run(t, nil, "moderation", "verify", "--data", dir, "--database", url)
			if r.code == 0 || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("after %s: code %d, stderr %q, want a failure saying %q", tc.name, r.code, r.stderr, tc.want)
			}
		})
	}
}
