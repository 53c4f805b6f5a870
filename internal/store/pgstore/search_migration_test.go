package pgstore

import (
	"context"
	"strings"
	"testing"
	"time"

	"byline/internal/store/storetest"

	"github.com/jackc/pgx/v5"
)

// TestSearchMigrationBackfills opens a database made before the search
// migration, with articles in it, and checks that the migration indexed
// them as the store indexes new articles (bylines, tags, sections,
// datelines, Hangul bigrams, vocabulary). Needs BYLINE_TEST_POSTGRES.
func TestSearchMigrationBackfills(t *testing.T) {
	cfg := freshSchema(t, "byline_backfill")
	ctx := context.Background()
	conn, err := pgx.ConnectConfig(ctx, cfg.ConnConfig)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `CREATE TABLE schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		t.Fatal(err)
	}
	for _, name := range Migrations() {
		if name >= "0800" {
			break
		}
		body, err := migrationFS.ReadFile("migrations/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Exec(ctx, string(body)); err != nil {
			t.Fatalf("migration %s: %v", name, err)
		}
		if _, err := conn.Exec(ctx, `INSERT INTO schema_migrations(name) VALUES ($1)`, name); err != nil {
			t.Fatal(err)
		}
	}
	at := time.Now().Add(-time.Hour).UTC()
	for _, q := range storetest.BackfillRows {
		var args []any
		n := strings.Count(q, "?")
		for i := range n {
			args = append(args, at)
			q = strings.Replace(q, "?", "$"+string(rune('1'+i)), 1)
		}
		if _, err := conn.Exec(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	// The rows came with their ids, as a copied archive's do.
	for _, table := range []string{"sections", "authors", "articles"} {
		if _, err := conn.Exec(ctx, `SELECT setval(pg_get_serial_sequence('`+table+`', 'id'), 100)`); err != nil {
			t.Fatal(err)
		}
	}
	conn.Close(ctx)

	s, err := OpenConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.CheckSearchBackfill(t, s)
}
