package pgstore

// These tests need a PostgreSQL server. Start a throwaway one and run them:
//
//	eval "$(scripts/pg-test.sh)"
//	go test ./internal/store/pgstore/
//
// Each test gets a schema of its own, made empty and dropped afterwards,
// so tests never see each other's rows and any database will do.

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"byline/internal/news"
	"byline/internal/store/storetest"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

const urlEnv = "BYLINE_TEST_POSTGRES"

// testURL returns the server to test against, or skips the test; in CI a
// missing server fails, so that the suite cannot silently stop running.
func testURL(tb testing.TB) string {
	tb.Helper()
	url := os.Getenv(urlEnv)
	if url == "" {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("%s is not set: CI must run the PostgreSQL suite (eval \"$(scripts/pg-test.sh)\")", urlEnv)
		}
		tb.Skip("set BYLINE_TEST_POSTGRES=postgres://... to run the PostgreSQL suite (scripts/pg-test.sh starts a server)")
	}
	return url
}

// freshSchema creates an empty schema, dropped when the test ends, and
// returns a pool configuration whose connections use it.
func freshSchema(tb testing.TB, prefix string) *pgxpool.Config {
	tb.Helper()
	url := testURL(tb)
	ctx := context.Background()
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		tb.Fatalf("parse %s: %v", urlEnv, err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := prefix + "_" + hex.EncodeToString(b)
	admin, err := pgx.Connect(ctx, url)
	if err != nil {
		tb.Fatalf("connect to %s: %v", urlEnv, err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, `CREATE SCHEMA `+pgx.Identifier{schema}.Sanitize()); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		// The store is closed by now (cleanups run last-in first-out).
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, url)
		if err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, `DROP SCHEMA `+pgx.Identifier{schema}.Sanitize()+` CASCADE`); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	return cfg
}

func openFresh(t *testing.T) news.Store {
	t.Helper()
	s, err := OpenConfig(context.Background(), freshSchema(t, "byline_test"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestConformance(t *testing.T) {
	testURL(t) // skip (or fail in CI) once, not in every subtest
	storetest.Run(t, openFresh)
}

func TestMigrationsRecordedOnce(t *testing.T) {
	cfg := freshSchema(t, "byline_test")
	for i := 0; i < 2; i++ {
		s, err := OpenConfig(context.Background(), cfg.Copy())
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.AppliedMigrations(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(got, ",") != strings.Join(Migrations(), ",") {
			t.Errorf("open %d: applied %v, want %v", i, got, Migrations())
		}
		s.Close()
	}
	if got := Migrations(); len(got) == 0 || got[0] != "0001_foundation.sql" {
		t.Errorf("migrations = %v, want 0001_foundation.sql first", got)
	}
}

// Servers that start together against a new database take turns at the
// migration lock: all open, and each migration is applied once.
func TestConcurrentOpenMigratesOnce(t *testing.T) {
	cfg := freshSchema(t, "byline_test")
	const servers = 4
	var wg sync.WaitGroup
	errs := make([]error, servers)
	stores := make([]*Store, servers)
	for i := range servers {
		wg.Go(func() {
			stores[i], errs[i] = OpenConfig(context.Background(), cfg.Copy())
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("server %d: %v", i, err)
			continue
		}
		defer stores[i].Close()
	}
	if t.Failed() {
		return
	}
	var n int
	if err := stores[0].Pool().QueryRow(context.Background(), `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != len(Migrations()) {
		t.Errorf("schema_migrations has %d rows, want %d", n, len(Migrations()))
	}
}

func TestOpenReportsUnreachableServer(t *testing.T) {
	// Nothing listens on port 1; the error names where we tried to go but
	// not the password.
	_, err := Open(context.Background(), "postgres://byline:s3cret@127.0.0.1:1/byline?sslmode=disable&connect_timeout=5")
	if err == nil {
		t.Fatal("open succeeded, want an error")
	}
	if msg := err.Error(); !strings.Contains(msg, "127.0.0.1") || strings.Contains(msg, "s3cret") {
		t.Errorf("error = %q, want the address and no password", msg)
	}
	_, err = Open(context.Background(), "postgres://byline:s3cret@127.0.0.1:notaport/byline")
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("bad URL: error = %v, want one without the password", err)
	}
}

// Snippets follow sqlitestore's: the words are marked, and an ellipsis
// shows where the passage was cut from a longer text.
func TestSearchSnippets(t *testing.T) {
	s := openFresh(t)
	defer s.Close()
	ctx := context.Background()
	f := storetest.Seed(t, s)
	long := "Seoul. " + strings.Repeat("Nothing to see in this sentence at all. ", 10) +
		"The central bank raised interest rates on Thursday. " + strings.Repeat("More words follow here without the term. ", 10)
	storetest.Publish(t, s, f.Business, "Rates decision", long, time.Hour, nil)
	storetest.Publish(t, s, f.Business, "Markets calm", "Interest in bonds was mild.", time.Hour, nil)

	res, err := s.Search(ctx, news.SearchQuery{Text: "interest rate"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 || len(res.Hits) != 1 {
		t.Fatalf("hits = %d/%d, want 1 (all words must match)", res.Total, len(res.Hits))
	}
	sn := res.Hits[0].Snippet
	if !strings.Contains(sn, news.HighlightStart+"interest"+news.HighlightEnd) || !strings.Contains(sn, news.HighlightStart+"rates"+news.HighlightEnd) {
		t.Errorf("snippet %q does not mark both words", sn)
	}
	if !strings.HasPrefix(sn, "…") || !strings.HasSuffix(sn, "…") || len(sn) > 400 {
		t.Errorf("snippet %q, want a short passage with ellipses at both cuts", sn)
	}

	whole, err := s.Search(ctx, news.SearchQuery{Text: "bonds"})
	if err != nil {
		t.Fatal(err)
	}
	if whole.Total != 1 || strings.Contains(whole.Hits[0].Snippet, "…") {
		t.Errorf("short body: %+v, want the whole body without ellipsis", whole.Hits)
	}

	// Only stop words: nothing to look for, and no error.
	stop, err := s.Search(ctx, news.SearchQuery{Text: "the and of"})
	if err != nil || stop.Total != 0 {
		t.Errorf("stop words: %d hits, %v", stop.Total, err)
	}

	// A page past the end still counts the hits.
	past, err := s.Search(ctx, news.SearchQuery{Text: "interest", Offset: 5})
	if err != nil || past.Total != 2 || len(past.Hits) != 0 {
		t.Errorf("past the end: total %d, %d hits, %v; want 2, 0", past.Total, len(past.Hits), err)
	}
	// Ranks follow sqlitestore's convention: lower is better.
	both, err := s.Search(ctx, news.SearchQuery{Text: "interest"})
	if err != nil || len(both.Hits) != 2 || both.Hits[0].Rank > both.Hits[1].Rank {
		t.Errorf("ranks = %+v, %v; want ascending", both.Hits, err)
	}
}

func TestTimesRoundTripInUTCToTheMillisecond(t *testing.T) {
	s := openFresh(t)
	defer s.Close()
	ctx := context.Background()
	f := storetest.Seed(t, s)
	seoul := time.FixedZone("KST", 9*3600)
	pub := time.Date(2026, 3, 1, 9, 0, 0, 123456789, seoul)
	a := news.Article{SectionID: f.National.ID, Headline: "Times", Status: news.StatusPublished, PublishedAt: pub,
		EmbargoUntil: pub.Add(time.Minute)}
	if err := s.CreateArticle(ctx, &a); err != nil {
		t.Fatal(err)
	}
	got, err := s.ArticleByID(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := pub.UTC().Truncate(time.Millisecond)
	if !got.PublishedAt.Equal(want) || got.PublishedAt.Location() != time.UTC {
		t.Errorf("published = %v, want %v in UTC", got.PublishedAt, want)
	}
	if !got.UpdatedAt.IsZero() || got.CreatedAt.IsZero() || got.CreatedAt.Location() != time.UTC {
		t.Errorf("updated = %v (want zero), created = %v (want set, UTC)", got.UpdatedAt, got.CreatedAt)
	}
	if !got.EmbargoUntil.Equal(want.Add(time.Minute)) {
		t.Errorf("embargo = %v, want %v", got.EmbargoUntil, want.Add(time.Minute))
	}
}
