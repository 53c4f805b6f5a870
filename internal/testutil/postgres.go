package testutil

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Postgres is a PostgreSQL server of a test's own, in a t.TempDir(), on a
// free port: tests that stop and start the database use it, never the
// shared cluster of scripts/pg-test.sh that other tests run against.
type Postgres struct {
	// URL reaches the database "byline" on it.
	URL string

	bin, data, log string
	port           int
	owner          string // run the server as this user (root may not)
}

// StartPostgres initialises and starts a private server with Debian's
// binaries (apt-get install postgresql; PG_BIN may name the bin
// directory). Without them the test skips, except under CI=true where it
// fails. The server is stopped when the test ends.
func StartPostgres(t testing.TB) *Postgres {
	t.Helper()
	bin := os.Getenv("PG_BIN")
	if bin == "" {
		dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
		sort.Slice(dirs, func(i, j int) bool { return pgMajor(dirs[i]) < pgMajor(dirs[j]) })
		if len(dirs) > 0 {
			bin = dirs[len(dirs)-1]
		}
	}
	if _, err := os.Stat(filepath.Join(bin, "pg_ctl")); bin == "" || err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("PostgreSQL server binaries not found: CI must run this test (apt-get install -y postgresql, or set PG_BIN)")
		}
		t.Skip("PostgreSQL server binaries not found (apt-get install -y postgresql, or set PG_BIN): skipping the test that stops and starts a database")
	}
	p := &Postgres{bin: bin}
	dir := t.TempDir()
	if os.Geteuid() == 0 {
		// PostgreSQL refuses to run as root: the server belongs to the
		// postgres user, who must be able to reach the directory.
		if _, err := user.Lookup("postgres"); err != nil {
			t.Fatalf("running as root needs the postgres user (it comes with Debian's postgresql package): %v", err)
		}
		p.owner = "postgres"
		for d := dir; d != os.TempDir() && d != "/" && d != "."; d = filepath.Dir(d) {
			if err := os.Chmod(d, 0o711); err != nil {
				t.Fatal(err)
			}
		}
		if out, err := exec.Command("chown", "postgres", dir).CombinedOutput(); err != nil {
			t.Fatalf("chown %s: %v %s", dir, err, out)
		}
	}
	p.data = filepath.Join(dir, "data")
	p.log = filepath.Join(dir, "server.log")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.port = l.Addr().(*net.TCPAddr).Port
	l.Close()
	if out, err := p.cmd("initdb", "-D", p.data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8").CombinedOutput(); err != nil {
		// Fall back to the C locale where C.UTF-8 is missing.
		os.RemoveAll(p.data)
		if out2, err := p.cmd("initdb", "-D", p.data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C").CombinedOutput(); err != nil {
			t.Fatalf("initdb: %v\n%s\n%s", err, out, out2)
		}
	}
	conf := fmt.Sprintf("\nlisten_addresses = '127.0.0.1'\nport = %d\nunix_socket_directories = '%s'\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\n", p.port, p.data)
	f, err := os.OpenFile(filepath.Join(p.data, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.WriteString(conf)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.cmd("pg_ctl", "-D", p.data, "-m", "immediate", "-w", "stop").Run() })
	p.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", p.port))
	if err != nil {
		t.Fatalf("connect to the private PostgreSQL: %v", err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, `CREATE DATABASE byline`); err != nil {
		t.Fatal(err)
	}
	p.URL = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/byline?sslmode=disable", p.port)
	return p
}

// Stop shuts the server down the way an operator would (fast: sessions
// are cut, in-flight transactions roll back) and waits until it is gone.
func (p *Postgres) Stop(t testing.TB) {
	t.Helper()
	if out, err := p.cmd("pg_ctl", "-D", p.data, "-m", "fast", "-w", "-t", "60", "stop").CombinedOutput(); err != nil {
		t.Fatalf("pg_ctl stop: %v\n%s", err, out)
	}
}

// Start starts the (stopped) server on its port and waits until it
// accepts connections.
func (p *Postgres) Start(t testing.TB) {
	t.Helper()
	if out, err := p.cmd("pg_ctl", "-D", p.data, "-l", p.log, "-w", "-t", "60", "start").CombinedOutput(); err != nil {
		logText, _ := os.ReadFile(p.log)
		t.Fatalf("pg_ctl start: %v\n%s\n%s", err, out, logText)
	}
}

func (p *Postgres) cmd(name string, args ...string) *exec.Cmd {
	path := filepath.Join(p.bin, name)
	if p.owner != "" {
		return exec.Command("runuser", append([]string{"-u", p.owner, "--", path}, args...)...)
	}
	return exec.Command(path, args...)
}

// pgMajor is the major version in a path like /usr/lib/postgresql/16/bin.
func pgMajor(dir string) int {
	var n int
	fmt.Sscanf(strings.TrimPrefix(dir, "/usr/lib/postgresql/"), "%d", &n)
	return n
}
