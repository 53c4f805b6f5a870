package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"byline/internal/news"
	"byline/internal/store/storetest"
)

// TestSearchIndexOptimize checks migration 0820 on an index written
// article by article: afterwards the full-text index is one segment and
// every search finds the same articles in the same order.
func TestSearchIndexOptimize(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "byline.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sec := news.Section{Name: "Economy"}
	if err := s.CreateSection(ctx, &sec); err != nil {
		t.Fatal(err)
	}
	words := []string{"housing", "exports", "shipbuilder", "harbour", "budget"}
	for i := range 40 {
		body := fmt.Sprintf("Report %d on %s and %s.\n\nThe %s figures were revised.", i, words[i%5], words[(i+2)%5], words[(i+3)%5])
		storetest.Publish(t, s, sec, fmt.Sprintf("%s story %d", words[i%5], i), body, time.Duration(i+1)*time.Minute, nil)
	}
	segments := func() int {
		var n int
		if err := s.r.QueryRowContext(ctx, `SELECT count(DISTINCT segid) FROM articles_fts_idx`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	search := func(text string) []int64 {
		res, err := s.Search(ctx, news.SearchQuery{Text: text, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, h := range res.Hits {
			ids = append(ids, h.Article.ID)
		}
		return ids
	}
	if n := segments(); n < 2 {
		t.Fatalf("before: %d segments; the test needs an index of several", n)
	}
	queries := []string{"housing", "exports budget", "revised", "story 7", "harbour figures"}
	for _, q := range queries {
		if len(search(q)) == 0 {
			t.Fatalf("search %q finds nothing before the migration", q)
		}
	}
	// merged records every query's hits, runs merge, and checks that the
	// index is then one segment and that every query finds the same.
	merged := func(what string, merge func() error) {
		t.Helper()
		before := map[string][]int64{}
		for _, q := range queries {
			before[q] = search(q)
		}
		if err := merge(); err != nil {
			t.Fatal(err)
		}
		if n := segments(); n != 1 {
			t.Errorf("after %s: %d segments, want 1", what, n)
		}
		for _, q := range queries {
			if got := search(q); !slices.Equal(got, before[q]) {
				t.Errorf("search %q after %s: %v, before: %v", q, what, got, before[q])
			}
		}
	}
	body, err := migrationFS.ReadFile("migrations/0820_search_fts_optimize.sql")
	if err != nil {
		t.Fatal(err)
	}
	merged("the migration", func() error {
		_, err := s.w.ExecContext(ctx, string(body))
		return err
	})

	// TidySearch (after an import) does it again: more articles written
	// one by one make more segments, and it merges them.
	for i := range 30 {
		storetest.Publish(t, s, sec, fmt.Sprintf("Later %s story %d", words[i%5], i), "More on "+words[(i+1)%5]+".", time.Duration(i+1)*time.Second, nil)
	}
	if n := segments(); n < 2 {
		t.Fatalf("after 30 more articles: %d segments; the test needs several", n)
	}
	merged("TidySearch", func() error { return s.TidySearch(ctx) })
}

// TestReadersMapTheFile: every read connection maps the database file
// (readerMmap), the writer does not.
func TestReadersMapTheFile(t *testing.T) {
	if strconv.IntSize < 64 {
		t.Skip("32-bit: readers do not map the file")
	}
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "byline.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// Hold several read connections at once, so that more than one is
	// asked.
	var conns []*sql.Conn
	for range 3 {
		c, err := s.r.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	for i, c := range conns {
		var n int64
		if err := c.QueryRowContext(ctx, `PRAGMA mmap_size`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 2147418112 {
			t.Errorf("reader %d: mmap_size %d, want 2147418112", i, n)
		}
		c.Close()
	}
	var n int64
	if err := s.w.QueryRowContext(ctx, `PRAGMA mmap_size`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("writer: mmap_size %d, want 0", n)
	}
}
