package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"byline/internal/demo"

	"byline/internal/store/sqlitestore"
)

func TestRestore(t *testing.T) {
	dir := t.TempDir()
	if r := run(t, nil, "demo", "--data", dir, "--articles", "30"); r.code != 0 {
		t.Fatalf("demo: %s", r.stderr)
	}
	backup := filepath.Join(t.TempDir(), "b.db")
	if r := run(t, nil, "backup", "--data", dir, "--to", backup); r.code != 0 {
		t.Fatalf("backup: %s", r.stderr)
	}
	target := t.TempDir()
	r := run(t, nil, "restore", "--data", target, "--from", backup)
	if r.code != 0 || !strings.Contains(r.stdout, strconv.Itoa(30+demo.MonitorArticles+30)+" articles") || !strings.Contains(r.stdout, "quick_check ok") {
		t.Fatalf("restore: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	st, err := sqlitestore.Open(context.Background(), filepath.Join(target, "byline.db"))
	if err != nil {
		t.Fatal(err)
	}
	n, err := st.CountArticles(context.Background())
	st.Close()
	if want := 30 + demo.MonitorArticles + 30; err != nil || n != want {
		t.Errorf("restored articles: %d (%v), want %d", n, err, want)
	}
	// The restored directory serves.
	if code := runUntilReady(t, target); code != 0 {
		t.Errorf("serve the restored directory: exit %d", code)
	}

	// Refusals: a database in place, a missing file, a file that is no
	// database, a damaged database, PostgreSQL.
	junk := filepath.Join(t.TempDir(), "junk.db")
	os.WriteFile(junk, []byte(strings.Repeat("not a database\n", 500)), 0o600)
	damaged := filepath.Join(t.TempDir(), "damaged.db")
	b, _ := os.ReadFile(backup)
	for i := 5 * 4096; i < 9*4096 && i < len(b); i++ {
		b[i] = byte(i * 7)
	}
	os.WriteFile(damaged, b, 0o600)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--data", target, "--from", backup}, "exists"},
		{[]string{"--data", t.TempDir(), "--from", filepath.Join(dir, "nope.db")}, "no backup file"},
		{[]string{"--data", t.TempDir()}, "--from FILE is required"},
		{[]string{"--data", t.TempDir(), "--from", junk}, "not a usable backup"},
		{[]string{"--data", t.TempDir(), "--from", damaged}, "not a usable backup"},
		{[]string{"--data", t.TempDir(), "--database", "postgres://x@127.0.0.1:1/x", "--from", backup}, "pg_restore"},
	} {
		r := run(t, nil, append([]string{"restore"}, tc.args...)...)
		if r.code == 0 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("restore %v: exit %d, stderr %q; want a refusal with %q", tc.args, r.code, r.stderr, tc.want)
		}
	}
}
