package media

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Storage keeps media files by relative slash-separated path. The local
// disk is the default; object storage (S3 and the like) can implement the
// same three methods later, with GET /media/ served from there.
type Storage interface {
	// Put writes a new file; it never overwrites an existing one.
	Put(ctx context.Context, name string, r io.Reader) error
	Open(ctx context.Context, name string) (io.ReadCloser, error)
	Delete(ctx context.Context, name string) error
}

// Disk stores files under a directory (DATA/media), which the server's
// GET /media/ route serves.
type Disk struct{ Root string }

// cleanName refuses absolute paths, "..", and anything that is not a
// plain relative path.
func cleanName(name string) (string, error) {
	if name == "" || strings.HasPrefix(name, "/") || strings.Contains(name, "\\") || path.Clean(name) != name || strings.HasPrefix(name, "..") {
		return "", fmt.Errorf("media: bad file name %q", name)
	}
	return filepath.FromSlash(name), nil
}

// Put writes through a temporary file and renames it into place, so a
// reader never sees half a file.
func (d Disk) Put(ctx context.Context, name string, r io.Reader) error {
	rel, err := cleanName(name)
	if err != nil {
		return err
	}
	dst := filepath.Join(d.Root, rel)
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return fmt.Errorf("media: %w", err)
	}
	if _, err := os.Stat(dst); err == nil {
		return fmt.Errorf("media: %s exists", name)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".upload-*")
	if err != nil {
		return fmt.Errorf("media: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, r); err != nil {
		tmp.Close()
		return fmt.Errorf("media: write %s: %w", name, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("media: write %s: %w", name, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dst)
}

// Open reads a stored file.
func (d Disk) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	rel, err := cleanName(name)
	if err != nil {
		return nil, err
	}
	return os.Open(filepath.Join(d.Root, rel))
}

// Delete removes a file; a missing file is not an error.
func (d Disk) Delete(ctx context.Context, name string) error {
	rel, err := cleanName(name)
	if err != nil {
		return err
	}
	if err := os.Remove(filepath.Join(d.Root, rel)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}
