package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"byline/internal/config"
)

// lockFileName is the file in the SQLite data directory that a running
// `byline serve` holds an exclusive lock on, so that a second serve on the
// same directory is refused. It holds the PID of the server, for the
// message. The lock is the kernel's (flock on Unix, a file opened without
// sharing on Windows): it goes away with the process, even after a crash,
// so a stale file never blocks a start.
const lockFileName = "byline.lock"

// errLocked is what lockFile returns when another process holds the lock.
var errLocked = errors.New("locked")

// dataLock is a held lock on a data directory.
type dataLock struct{ f *os.File }

// Close releases the lock (the kernel would, at exit, too).
func (l *dataLock) Close() error {
	if l == nil || l.f == nil {
		return nil
	}
	// Empty the PID first so that a reader never names a process that
	// has gone; the file itself stays (removing it would race with a
	// server starting now).
	_ = l.f.Truncate(0)
	return unlockFile(l.f)
}

// lockDataDir takes the serve lock of the SQLite data directory the
// configuration names. PostgreSQL needs none: several servers there are
// the supported way to scale.
func lockDataDir(cfg *config.Config) (*dataLock, error) {
	if strings.HasPrefix(cfg.Database, "postgres") {
		return nil, nil
	}
	dir := filepath.Dir(cfg.SQLitePath())
	if err := prepareDataDir(dir); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, lockFileName)
	f, err := lockFile(path)
	if errors.Is(err, errLocked) {
		who := "another byline serve"
		if b, rerr := readLockPID(path); rerr == nil && b != "" {
			who = fmt.Sprintf("another byline serve (pid %s)", b)
		}
		shown := dir
		if abs, aerr := filepath.Abs(dir); aerr == nil {
			shown = abs // "./data" says little in a service's log
		}
		return nil, fmt.Errorf("%s is using %s; stop it or use --database for several servers on PostgreSQL", who, shown)
	}
	if err != nil {
		return nil, fmt.Errorf("lock the data directory %s: %w", dir, err)
	}
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &dataLock{f: f}, nil
}

// readLockPID reads the PID a running server wrote in its lock file.
func readLockPID(path string) (string, error) {
	b, err := readLocked(path)
	if err != nil {
		return "", err
	}
	s := strings.TrimSpace(string(b))
	if _, err := strconv.Atoi(s); err != nil {
		return "", err
	}
	return s, nil
}
