package sqlitestore

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"byline/internal/news"
	"byline/internal/store/storetest"
)

func openTemp(t *testing.T) news.Store {
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "byline.db"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestConformance(t *testing.T) { storetest.Run(t, openTemp) }

func TestMigrationsRecordedOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "byline.db")
	for i := 0; i < 2; i++ {
		s, err := Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.AppliedMigrations(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(Migrations()) {
			t.Errorf("open %d: applied %v, want %v", i, got, Migrations())
		}
		s.Close()
	}
}

func TestOpenRefusesCorruptFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "byline.db")
	if err := os.WriteFile(path, []byte(strings.Repeat("this is not a database ", 400)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), path)
	if err == nil || !strings.Contains(err.Error(), "not a valid SQLite database") {
		t.Fatalf("got %v, want an error naming the damaged database", err)
	}
}

func TestBackupIsConsistentCopy(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t).(*Store)
	defer s.Close()
	f := storetest.Seed(t, s)
	storetest.Publish(t, s, f.Politics, "Backed up", "body", 0, nil)
	dst := filepath.Join(t.TempDir(), "copy.db")
	if err := s.Backup(ctx, dst); err != nil {
		t.Fatal(err)
	}
	if err := s.Backup(ctx, dst); err == nil {
		t.Error("second backup onto the same file succeeded, want refusal")
	}
	c, err := Open(ctx, dst)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	n, err := c.CountArticles(ctx)
	if err != nil || n != 1 {
		t.Fatalf("restored copy has %d articles (%v), want 1", n, err)
	}
}
