//go:build linux || darwin || freebsd || openbsd || netbsd || dragonfly

package cli

import (
	"errors"
	"os"
	"syscall"
)

// lockFile opens path and takes an exclusive flock on it without waiting.
// flock belongs to the open file: it is released when the file is closed
// or the process ends, however it ends.
func lockFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, errLocked
		}
		return nil, err
	}
	return f, nil
}

func unlockFile(f *os.File) error {
	_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	return f.Close()
}

// readLocked reads the lock file (flock is advisory: reading is allowed).
func readLocked(path string) ([]byte, error) { return os.ReadFile(path) }
