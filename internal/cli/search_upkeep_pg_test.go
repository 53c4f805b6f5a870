package cli_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// A server on PostgreSQL chooses search's commonest words again by itself
// when they drifted from the archive (--search-upkeep), logs it, and
// leaves every article's masks as the new choice has them.
func TestServerSearchUpkeepOnPostgres(t *testing.T) {
	db := freshDatabase(t, "upkeep")
	if r := runIn(t, "", "demo", "--articles", "150", "--database", db, "--data", t.TempDir()); r.code != 0 {
		t.Fatalf("demo: %d %s %s", r.code, r.stdout, r.stderr)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var chosen int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM search_common`).Scan(&chosen); err != nil || chosen < 100 {
		t.Fatalf("the demo chose %d common words (%v); want the archive's commonest", chosen, err)
	}
	// The choice goes stale: a third of it is gone (as if the paper had
	// grown into other words since).
	if _, err := conn.Exec(ctx, `DELETE FROM search_common WHERE lexeme IN
		(SELECT lexeme FROM search_common ORDER BY lexeme LIMIT (SELECT count(*) / 3 FROM search_common))`); err != nil {
		t.Fatal(err)
	}
	p := serveInProcess(t, []string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--log-level", "info",
		"--database", db, "--search-upkeep", "1s"})
	deadline := time.Now().Add(60 * time.Second)
	for {
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM search_common`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == chosen && strings.Contains(p.errb.String(), "search upkeep: the commonest words chosen again") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("60 s after the server started, search_common has %d words (want %d again); log:\n%s", n, chosen, p.errb.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	var off int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM article_search a FULL JOIN article_common c ON c.id = a.id
		WHERE a.id IS NULL OR c.id IS NULL OR c.common <> search_common_mask(a.words)
			OR c.head_common <> search_common_mask(a.head) OR c.lead_common <> search_common_mask(a.lead)`).Scan(&off); err != nil || off != 0 {
		t.Errorf("after the upkeep %d articles' masks differ from the choice (%v)", off, err)
	}
}
