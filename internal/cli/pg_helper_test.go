package cli_test

// Tests that need PostgreSQL run when BYLINE_TEST_POSTGRES holds a
// connection URL; start a throwaway server with
//
//	eval "$(scripts/pg-test.sh)"
//	go test ./internal/cli/
//
// Each test gets a database of its own (CREATE DATABASE byline_<name>_<random>),
// dropped when it ends.

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// freshDatabase creates an empty database and returns its URL; without a
// server it skips, except in CI where it fails.
func freshDatabase(t *testing.T, prefix string) string {
	t.Helper()
	base := os.Getenv("BYLINE_TEST_POSTGRES")
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("BYLINE_TEST_POSTGRES is not set: CI must run the PostgreSQL tests (eval \"$(scripts/pg-test.sh)\")")
		}
		t.Skip("set BYLINE_TEST_POSTGRES=postgres://... to run this PostgreSQL test (scripts/pg-test.sh starts a server)")
	}
	ctx := context.Background()
	b := make([]byte, 5)
	rand.Read(b)
	name := "byline_" + prefix + "_" + hex.EncodeToString(b)
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to BYLINE_TEST_POSTGRES: %v", err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, `CREATE DATABASE `+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Errorf("drop database %s: %v", name, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, `DROP DATABASE `+pgx.Identifier{name}.Sanitize()+` WITH (FORCE)`); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}
