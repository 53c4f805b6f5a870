package media

import (
	"errors"
	"io/fs"
	"syscall"
	"testing"

	"byline/internal/news"
)

// A media write that found the disk full is "storage full" (507, nothing
// saved), not the 503 of a storage that cannot be reached.
func TestStorageErrorDiskFull(t *testing.T) {
	full := storageError(&fs.PathError{Op: "write", Path: "/data/media/a.jpg", Err: syscall.ENOSPC})
	if got := news.KindOf(full); got != news.KindStorageFull || errors.Is(full, ErrStorageUnavailable) {
		t.Errorf("ENOSPC: kind %v, unavailable %v; want storage_full and not unavailable", got, errors.Is(full, ErrStorageUnavailable))
	}
	down := storageError(errors.New("dial tcp: connection refused"))
	if !errors.Is(down, ErrStorageUnavailable) {
		t.Errorf("other storage errors: %v, want ErrStorageUnavailable", down)
	}
}
