//go:build !(linux || darwin || freebsd || openbsd || netbsd || dragonfly || windows)

package cli

import "os"

// lockFile: on the platforms without flock that we do not build for
// (plan9, js, wasip1, aix, solaris), the data directory is not locked.
func lockFile(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
}

func unlockFile(f *os.File) error { return f.Close() }

func readLocked(path string) ([]byte, error) { return os.ReadFile(path) }
