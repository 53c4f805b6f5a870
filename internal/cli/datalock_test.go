package cli_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"byline/internal/cli"
)

// serveOnce runs `byline serve` in-process and expects it to refuse to
// start (bounded, so a server that wrongly starts ends the test).
func serveOnce(t *testing.T, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var out, errb syncBuffer
	code := cli.Run(ctx, cli.Env{Args: append([]string{"serve"}, args...), Getenv: func(string) string { return "" },
		Stdout: &out, Stderr: &errb})
	return result{code, out.String(), errb.String()}
}

// TestSecondServeRefused: a second `byline serve` on the same SQLite data
// directory is refused with a message naming the directory and the PID
// holding it; commands meant to run beside a server still work; once the
// first stops, a new serve starts. (Before: the second served too.)
func TestSecondServeRefused(t *testing.T) {
	dir := t.TempDir()
	_, stop, _, _ := startServe(t, "--addr", "127.0.0.1:0", "--data", dir, "--log-level", "warn")

	r := serveOnce(t, "--addr", "127.0.0.1:0", "--data", dir, "--log-level", "warn")
	want := fmt.Sprintf("another byline serve (pid %d) is using %s; stop it or use --database for several servers on PostgreSQL", os.Getpid(), dir)
	if r.code != 1 || !strings.Contains(r.stderr, want) {
		t.Errorf("second serve: exit %d, stderr %q; want exit 1 and %q", r.code, r.stderr, want)
	}
	if strings.Contains(r.stdout, "serving") {
		t.Errorf("second serve printed %q: it must not serve", r.stdout)
	}

	// Commands documented to run beside a server do not take the lock.
	if r := runIn(t, "correct horse\n", "user", "add", "--data", dir, "--email", "ed@example.com", "--name", "Ed", "--role", "editor"); r.code != 0 {
		t.Errorf("user add beside serve: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := run(t, nil, "backup", "--data", dir, "--to", filepath.Join(t.TempDir(), "b.db")); r.code != 0 {
		t.Errorf("backup beside serve: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := run(t, nil, "migrate", "--data", dir); r.code != 0 {
		t.Errorf("migrate beside serve: exit %d, stderr %q", r.code, r.stderr)
	}

	if code := stop(); code != 0 {
		t.Fatalf("first serve: exit %d", code)
	}
	_, stop2, _, _ := startServe(t, "--addr", "127.0.0.1:0", "--data", dir, "--log-level", "warn")
	if code := stop2(); code != 0 {
		t.Errorf("serve after the first stopped: exit %d", code)
	}
}

// TestServeLockNotStaleAfterCrash: a server killed with SIGKILL leaves its
// lock file behind, but not its lock: the next serve starts. While it
// ran, a serve from another process was refused naming its PID.
func TestServeLockNotStaleAfterCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "byline")
	if out, err := exec.Command("go", "build", "-o", bin, "byline/cmd/byline").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := t.TempDir()
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--data", dir, "--log-level", "warn")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	serving := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "serving") {
				serving <- true
			}
		}
	}()
	select {
	case <-serving:
	case <-time.After(60 * time.Second):
		t.Fatalf("server did not start:\n%s", stderr.String())
	}

	r := serveOnce(t, "--addr", "127.0.0.1:0", "--data", dir, "--log-level", "warn")
	if want := "another byline serve (pid " + strconv.Itoa(cmd.Process.Pid) + ") is using " + dir; r.code != 1 || !strings.Contains(r.stderr, want) {
		t.Errorf("serve beside another process: exit %d, stderr %q; want exit 1 and %q", r.code, r.stderr, want)
	}

	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if _, err := os.Stat(filepath.Join(dir, "byline.lock")); err != nil {
		t.Errorf("lock file after the crash: %v (the test means to show a left file does not block)", err)
	}
	_, stop, _, _ := startServe(t, "--addr", "127.0.0.1:0", "--data", dir, "--log-level", "warn")
	if code := stop(); code != 0 {
		t.Errorf("serve after the crash: exit %d", code)
	}
}

// TestServeOnPostgresTakesNoLock: several servers on PostgreSQL are the
// supported way to scale; the data directory is not locked for them.
func TestServeOnPostgresTakesNoLock(t *testing.T) {
	dsn := freshDatabase(t, "lock")
	dir := t.TempDir()
	_, stop1, _, _ := startServe(t, "--addr", "127.0.0.1:0", "--data", dir, "--database", dsn, "--log-level", "warn")
	_, stop2, _, _ := startServe(t, "--addr", "127.0.0.1:0", "--data", dir, "--database", dsn, "--log-level", "warn")
	if c1, c2 := stop1(), stop2(); c1 != 0 || c2 != 0 {
		t.Errorf("two servers on PostgreSQL: exits %d, %d", c1, c2)
	}
	if _, err := os.Stat(filepath.Join(dir, "byline.lock")); err == nil {
		t.Error("serve on PostgreSQL made a lock file in the data directory")
	}
}
