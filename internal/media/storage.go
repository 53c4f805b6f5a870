package media

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Storage keeps media files by relative slash-separated path: a local
// directory (Disk, the default) or an S3-compatible bucket (S3). GET
// /media/ serves from it, so servers that share only a database and a
// bucket see the same library.
type Storage interface {
	// Put writes a new file whole or not at all; it never overwrites an
	// existing one.
	Put(ctx context.Context, name string, r io.Reader) error
	// Open reads a file; a missing one is an error that matches
	// fs.ErrNotExist.
	Open(ctx context.Context, name string) (Object, error)
	// Delete removes a file; a missing file is not an error.
	Delete(ctx context.Context, name string) error
	// Walk calls fn for every stored file (order unspecified).
	Walk(ctx context.Context, fn func(name string, size int64) error) error
	// String names the storage for messages ("directory data/media",
	// "s3://bucket/prefix").
	String() string
}

// Object is an open stored file.
type Object interface {
	io.ReadSeekCloser
	Info() Info
}

// Info describes a stored file. ETag is quoted, ready for the header.
type Info struct {
	Size    int64
	ModTime time.Time
	ETag    string
}

// Disk stores files under a directory (DATA/media).
type Disk struct{ Root string }

func (d Disk) String() string { return "directory " + d.Root }

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
	tmp, err := os.CreateTemp(filepath.Dir(dst), tmpPrefix+"*")
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

// tmpPrefix starts the names of files being written (Walk skips them).
const tmpPrefix = ".upload-"

type diskObject struct {
	*os.File
	info Info
}

func (o diskObject) Info() Info { return o.info }

// Open reads a stored file.
func (d Disk) Open(ctx context.Context, name string) (Object, error) {
	rel, err := cleanName(name)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", err, fs.ErrNotExist)
	}
	f, err := os.Open(filepath.Join(d.Root, rel))
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	// Files are never rewritten in place, so size and time name a version.
	etag := `"` + strconv.FormatInt(st.Size(), 36) + "-" + strconv.FormatInt(st.ModTime().UnixNano(), 36) + `"`
	return diskObject{f, Info{Size: st.Size(), ModTime: st.ModTime(), ETag: etag}}, nil
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

// Walk lists every stored file; a missing directory is an empty library.
func (d Disk) Walk(ctx context.Context, fn func(name string, size int64) error) error {
	err := filepath.WalkDir(d.Root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			if p == d.Root && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if !e.Type().IsRegular() || strings.HasPrefix(e.Name(), tmpPrefix) {
			return nil
		}
		st, err := e.Info()
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(d.Root, p)
		if err != nil {
			return err
		}
		return fn(filepath.ToSlash(rel), st.Size())
	})
	return err
}

// Fallback reads from Primary and, for a file Primary does not have,
// from Secondary; it writes to Primary only. A paper moving its library
// to a bucket keeps serving the files still only in its old directory
// until `byline media migrate` has copied them.
type Fallback struct {
	Primary, Secondary Storage
}

func (f Fallback) String() string {
	return f.Primary.String() + " (reading also " + f.Secondary.String() + ")"
}

func (f Fallback) Put(ctx context.Context, name string, r io.Reader) error {
	return f.Primary.Put(ctx, name, r)
}

func (f Fallback) Open(ctx context.Context, name string) (Object, error) {
	o, err := f.Primary.Open(ctx, name)
	if errors.Is(err, fs.ErrNotExist) {
		if o2, err2 := f.Secondary.Open(ctx, name); err2 == nil {
			return o2, nil
		}
	}
	return o, err
}

// Delete removes the file from both, so that a deleted image does not
// come back from the old directory.
func (f Fallback) Delete(ctx context.Context, name string) error {
	if err := f.Primary.Delete(ctx, name); err != nil {
		return err
	}
	return f.Secondary.Delete(ctx, name)
}

func (f Fallback) Walk(ctx context.Context, fn func(name string, size int64) error) error {
	return f.Primary.Walk(ctx, fn)
}
