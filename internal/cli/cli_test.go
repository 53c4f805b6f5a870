package cli_test

// The byline command run in-process, as a user runs it: arguments,
// environment, standard streams and exit codes.

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"byline/internal/cli"
	"byline/internal/demo"
	"byline/internal/store/sqlitestore"
)

// syncBuffer is a bytes.Buffer that the server's goroutines may write
// while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type result struct {
	code           int
	stdout, stderr string
}

// run runs byline with args and an environment of only env.
func run(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	var out, errb syncBuffer
	code := cli.Run(context.Background(), cli.Env{
		Args:   args,
		Getenv: func(k string) string { return env[k] },
		Stdin:  strings.NewReader(""),
		Stdout: &out,
		Stderr: &errb,
	})
	return result{code, out.String(), errb.String()}
}

func TestServeAndGracefulShutdown(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	exit := make(chan int, 1)
	var out, errb syncBuffer
	go func() {
		exit <- cli.Run(ctx, cli.Env{
			Args:   []string{"serve", "--addr", "127.0.0.1:0", "--data", dir, "--demo", "--log-format", "json"},
			Getenv: func(string) string { return "" },
			Stdout: &out, Stderr: &errb,
			Ready: func(addr string) { ready <- addr },
		})
	}()
	var addr string
	select {
	case addr = <-ready:
	case code := <-exit:
		t.Fatalf("serve exited with %d before it was ready\nstdout: %s\nstderr: %s", code, out.String(), errb.String())
	case <-time.After(60 * time.Second):
		t.Fatal("serve was not ready within 60s")
	}
	base := "http://" + addr
	for _, tc := range []struct {
		path, want string
	}{
		{"/healthz", "ok"},
		{"/readyz", "ready"},
		{"/", "Housing supply bill stalls"},
	} {
		res, err := http.Get(base + tc.path)
		if err != nil {
			t.Fatalf("GET %s: %v", tc.path, err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !strings.Contains(string(body), tc.want) {
			t.Errorf("GET %s: %d, body lacks %q", tc.path, res.StatusCode, tc.want)
		}
	}
	if !strings.Contains(out.String(), "http://"+addr+"/") {
		t.Errorf("stdout %q does not say where it serves", out.String())
	}

	// Ending the context (as SIGTERM does) shuts down cleanly.
	cancel()
	select {
	case code := <-exit:
		if code != 0 {
			t.Errorf("exit code after shutdown = %d, want 0\nstderr: %s", code, errb.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop within 30s of its context ending")
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("the server still answers after shutdown")
	}
	logs := errb.String()
	for _, want := range []string{`"msg":"serving"`, `"msg":"shutting down"`, `"msg":"request"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %s:\n%s", want, logs)
		}
	}
	// Serving again on the same data keeps the articles and loads no
	// second demo.
	code := runUntilReady(t, dir)
	if code != 0 {
		t.Errorf("second serve exited %d", code)
	}
}

// runUntilReady serves dir, checks it answers, stops it and returns its
// exit code.
func runUntilReady(t *testing.T, dir string) int {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	exit := make(chan int, 1)
	var errb syncBuffer
	go func() {
		exit <- cli.Run(ctx, cli.Env{
			Args:   []string{"serve", "--addr", "127.0.0.1:0", "--data", dir, "--demo"},
			Getenv: func(string) string { return "" },
			Stdout: io.Discard, Stderr: &errb,
			Ready: func(addr string) { ready <- addr },
		})
	}()
	select {
	case addr := <-ready:
		res, err := http.Get("http://" + addr + "/")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Errorf("GET /: %d", res.StatusCode)
		}
	case code := <-exit:
		t.Fatalf("serve exited %d: %s", code, errb.String())
	case <-time.After(60 * time.Second):
		t.Fatal("not ready within 60s")
	}
	cancel()
	select {
	case code := <-exit:
		if !strings.Contains(errb.String(), "--demo loads nothing") {
			t.Errorf("a second --demo run does not say it loads nothing:\n%s", errb.String())
		}
		return code
	case <-time.After(30 * time.Second):
		t.Fatal("did not stop")
	}
	return -1
}

func TestServeRefusesBadDataDir(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, []byte("not a directory"), 0o600); err != nil {
		t.Fatal(err)
	}
	corrupt := filepath.Join(dir, "corrupt")
	if err := os.MkdirAll(corrupt, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(corrupt, "byline.db"), bytes.Repeat([]byte("this is not SQLite\n"), 400), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, data string
		want       []string
	}{
		{"data dir is a file", file, []string{file, "is a file"}},
		// Tests may run as root, which ignores permissions: a path
		// through a regular file can never be created.
		{"data dir cannot be created", filepath.Join(file, "sub"), []string{filepath.Join(file, "sub"), "data directory"}},
		{"corrupt database", corrupt, []string{filepath.Join(corrupt, "byline.db"), "not a valid SQLite database"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, cmd := range []string{"serve", "migrate", "backup"} {
				r := run(t, nil, cmd, "--addr", "127.0.0.1:0", "--data", tc.data)
				if r.code == 0 {
					t.Errorf("%s: exit code 0, want failure", cmd)
				}
				for _, w := range tc.want {
					if !strings.Contains(r.stderr, w) {
						t.Errorf("%s: stderr %q does not name %q", cmd, r.stderr, w)
					}
				}
				if strings.Count(strings.TrimSpace(r.stderr), "\n") > 2 {
					t.Errorf("%s: a long error instead of a sentence:\n%s", cmd, r.stderr)
				}
			}
		})
	}
}

func TestServeRefusesBadConfiguration(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"BYLINE_ADDR", map[string]string{"BYLINE_ADDR": "nonsense"}, nil, `"nonsense" is not host:port`},
		{"base url scheme", nil, []string{"--base-url", "ftp://x"}, "--base-url"},
		{"base url relative", nil, []string{"--base-url", "/news"}, "--base-url"},
		{"BYLINE_BASE_URL", map[string]string{"BYLINE_BASE_URL": "news.example.com"}, nil, "--base-url"},
		{"timezone", nil, []string{"--timezone", "Mars/Base"}, `"Mars/Base" is not a known time zone`},
		{"log level", nil, []string{"--log-level", "loud"}, "--log-level"},
		{"log format", nil, []string{"--log-format", "xml"}, "--log-format"},
		{"BYLINE_CACHE_MB", map[string]string{"BYLINE_CACHE_MB": "lots"}, nil, "BYLINE_CACHE_MB"},
		{"cache mb", nil, []string{"--cache-mb", "-5"}, "size in MB"},
		{"BYLINE_DEMO", map[string]string{"BYLINE_DEMO": "maybe"}, nil, "BYLINE_DEMO"},
		{"shutdown timeout", nil, []string{"--shutdown-timeout", "soon"}, "duration"},
		{"database", nil, []string{"--database", "mysql://x"}, "--database"},
		{"site name", nil, []string{"--site-name", "  "}, "--site-name"},
		{"unknown flag", nil, []string{"--colour", "blue"}, "colour"},
		{"stray argument", nil, []string{"extra"}, `unexpected argument "extra"`},
		{"dev login in public", nil, []string{"--dev-login", "--base-url", "https://news.example.com"}, "--dev-login"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"serve", "--data", dir}, tc.args...)
			if tc.env["BYLINE_ADDR"] == "" {
				args = append(args, "--addr", "127.0.0.1:0")
			}
			r := run(t, tc.env, args...)
			if r.code != 1 {
				t.Errorf("exit code %d, want 1", r.code)
			}
			if !strings.Contains(r.stderr, tc.want) || !strings.HasPrefix(r.stderr, "byline serve: ") {
				t.Errorf("stderr = %q, want a 'byline serve:' line naming %q", r.stderr, tc.want)
			}
		})
	}
	// Flags beat the environment.
	r := run(t, map[string]string{"BYLINE_TIMEZONE": "Mars/Base"}, "migrate", "--data", dir, "--timezone", "UTC")
	if r.code != 0 {
		t.Errorf("--timezone UTC over a bad BYLINE_TIMEZONE: exit %d, %s", r.code, r.stderr)
	}
}

func TestServePortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	r := run(t, nil, "serve", "--data", t.TempDir(), "--addr", ln.Addr().String())
	if r.code != 1 || !strings.Contains(r.stderr, ln.Addr().String()) {
		t.Errorf("exit %d, stderr %q: want a failure naming %s", r.code, r.stderr, ln.Addr())
	}
}

func TestCommands(t *testing.T) {
	r := run(t, nil, "version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "byline ") {
		t.Errorf("version: exit %d, stdout %q", r.code, r.stdout)
	}
	for _, h := range []string{"help", "-h", "--help"} {
		r = run(t, nil, h)
		if r.code != 0 || !strings.Contains(r.stdout, "Usage: byline COMMAND") {
			t.Errorf("%s: exit %d, stdout %q", h, r.code, r.stdout)
		}
		for _, c := range []string{"serve", "migrate", "demo", "backup", "version"} {
			if !strings.Contains(r.stdout, "  "+c) {
				t.Errorf("%s does not list %s", h, c)
			}
		}
	}
	r = run(t, nil)
	if r.code != 2 || !strings.Contains(r.stderr, "Usage") {
		t.Errorf("no command: exit %d, stderr %q, want 2 and usage", r.code, r.stderr)
	}
	r = run(t, nil, "frobnicate")
	if r.code != 2 || !strings.Contains(r.stderr, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: exit %d, stderr %q", r.code, r.stderr)
	}
	r = run(t, nil, "serve", "-h")
	if r.code != 0 {
		t.Errorf("serve -h: exit %d", r.code)
	}
	for _, w := range []string{"--addr", "BYLINE_ADDR", "--base-url", "--data", "--timezone"} {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("serve -h does not mention %s:\n%s", w, r.stdout)
		}
	}
	r = run(t, nil, "demo", "-h")
	if r.code != 0 || !strings.Contains(r.stdout, "--articles") {
		t.Errorf("demo -h: exit %d, stdout lacks --articles:\n%s", r.code, r.stdout)
	}
}

func TestMigrate(t *testing.T) {
	dir := t.TempDir()
	for i := range 2 {
		r := run(t, nil, "migrate", "--data", dir)
		if r.code != 0 || !strings.Contains(r.stdout, "is at migration") {
			t.Errorf("migrate run %d: exit %d, stdout %q, stderr %q", i+1, r.code, r.stdout, r.stderr)
		}
		if want := len(sqlitestore.Migrations()); !strings.Contains(r.stdout, "("+strconv.Itoa(want)+" applied)") {
			t.Errorf("migrate run %d: %q, want %d applied", i+1, r.stdout, want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "byline.db")); err != nil {
		t.Errorf("no database file: %v", err)
	}
	// BYLINE_DATA works like --data.
	envDir := t.TempDir()
	r := run(t, map[string]string{"BYLINE_DATA": envDir}, "migrate")
	if r.code != 0 || !strings.Contains(r.stdout, envDir) {
		t.Errorf("BYLINE_DATA: exit %d, stdout %q", r.code, r.stdout)
	}
}

func TestDemoAndBackup(t *testing.T) {
	dir := t.TempDir()
	r := run(t, nil, "demo", "--data", dir, "--articles", "50")
	if r.code != 0 || !strings.Contains(r.stdout, "loaded the demo paper") || !strings.Contains(r.stdout, "generated 50 articles") || !strings.Contains(r.stdout, "search index tidied") {
		t.Fatalf("demo: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	r = run(t, nil, "demo", "--data", dir, "--articles", "-1")
	if r.code != 1 || !strings.Contains(r.stderr, "--articles") {
		t.Errorf("demo --articles -1: exit %d, stderr %q", r.code, r.stderr)
	}
	// tidy-search does on its own what demo did at its end; a flag it does
	// not know is refused.
	if r := run(t, nil, "tidy-search", "--data", dir); r.code != 0 || !strings.Contains(r.stdout, "search index tidied") {
		t.Errorf("tidy-search: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if r := run(t, nil, "tidy-search", "--data", dir, "--now"); r.code == 0 || !strings.Contains(r.stderr, "now") {
		t.Errorf("tidy-search --now: exit %d, stderr %q", r.code, r.stderr)
	}
	// A second demo run does not load the paper twice.
	r = run(t, nil, "demo", "--data", dir)
	if r.code != 0 || strings.Contains(r.stdout, "loaded the demo paper") || strings.Contains(r.stdout, "tidied") {
		t.Errorf("second demo: exit %d, stdout %q", r.code, r.stdout)
	}

	to := filepath.Join(t.TempDir(), "copy.db")
	r = run(t, nil, "backup", "--data", dir, "--to", to)
	if r.code != 0 || !strings.Contains(r.stdout, to) {
		t.Fatalf("backup: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	st, err := sqlitestore.Open(context.Background(), to)
	if err != nil {
		t.Fatalf("open the backup: %v", err)
	}
	n, err := st.CountArticles(context.Background())
	st.Close()
	if want := 30 + demo.MonitorArticles + 50; err != nil || n != want {
		t.Errorf("the backup has %d articles (%v), want %d", n, err, want)
	}
	r = run(t, nil, "backup", "--data", dir, "--to", to)
	if r.code == 0 || !strings.Contains(r.stderr, to) {
		t.Errorf("backup over an existing file: exit %d, stderr %q; want a refusal naming it", r.code, r.stderr)
	}
	r = run(t, nil, "backup", "--data", dir)
	if r.code != 0 || !strings.Contains(r.stdout, filepath.Join(dir, "backups")) {
		t.Errorf("backup to the default place: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	r = run(t, nil, "backup", "--data", dir, "--to", filepath.Join(dir, "no-such-dir", "x", "copy.db"))
	if r.code == 0 {
		t.Errorf("backup into a missing directory: exit 0, stdout %q", r.stdout)
	}
}
