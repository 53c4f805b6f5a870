//go:build windows

package cli

import (
	"errors"
	"os"
	"strconv"
	"syscall"
)

// lockFile opens path with no sharing at all: while a server has it open,
// every other open fails with a sharing violation. Windows closes the
// handle when the process ends, however it ends. The PID is written to a
// second file, since the lock file itself cannot be read by others.
func lockFile(path string) (*os.File, error) {
	p, err := syscall.UTF16PtrFromString(path)
	if err != nil {
		return nil, err
	}
	h, err := syscall.CreateFile(p, syscall.GENERIC_READ|syscall.GENERIC_WRITE, 0, nil,
		syscall.OPEN_ALWAYS, syscall.FILE_ATTRIBUTE_NORMAL, 0)
	if err != nil {
		if errors.Is(err, errSharingViolation) {
			return nil, errLocked
		}
		return nil, err
	}
	f := os.NewFile(uintptr(h), path)
	_ = os.WriteFile(path+".pid", []byte(strconv.Itoa(os.Getpid())+"\n"), 0o600)
	return f, nil
}

func unlockFile(f *os.File) error {
	_ = os.Remove(f.Name() + ".pid")
	return f.Close()
}

func readLocked(path string) ([]byte, error) { return os.ReadFile(path + ".pid") }

// errSharingViolation is ERROR_SHARING_VIOLATION (the syscall package
// does not name it).
const errSharingViolation syscall.Errno = 32
