package media

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"byline/internal/news"
)

// Orphan is a stored file no media record names.
type Orphan struct {
	Name    string
	Size    int64
	ModTime time.Time
	// Used lists the articles that still link the file although no
	// record names it (an image stored by an older Byline, or one linked
	// by hand): such a file is reported, never removed.
	Used []news.MediaUse
	// Young: written less than the sweep's minimum age ago (perhaps an
	// upload whose record is being written): reported, never removed.
	Young bool
	// Removed says the sweep deleted it.
	Removed bool
}

// SweepReport is what a sweep found.
type SweepReport struct {
	Files   int // stored files looked at
	Records int // media records read
	Orphans []Orphan
	Removed int
	Bytes   int64 // size of the files removed
}

// Sweep finds the stored files that no media record names: what a failed
// clean-up left (a delete or replace whose file removal failed, an upload
// cut off by an outage before its record was written). Files whose name
// starts with a dot (the metadata-migration marker, temporary files) are
// not the library's and are skipped. With remove, the orphans older than
// minAge and linked by no article are deleted.
func Sweep(ctx context.Context, st news.MediaStore, files Storage, minAge time.Duration, now time.Time, remove bool) (SweepReport, error) {
	var r SweepReport
	known := map[string]bool{}
	for page := 0; ; page++ {
		items, _, err := st.ListMedia(ctx, news.MediaQuery{Limit: 500, Offset: page * 500})
		if err != nil {
			return r, err
		}
		for _, m := range items {
			r.Records++
			for _, f := range m.Files() {
				known[f] = true
			}
		}
		if len(items) < 500 {
			break
		}
	}
	var candidates []Orphan
	err := files.Walk(ctx, func(name string, size int64) error {
		r.Files++
		if strings.HasPrefix(path.Base(name), ".") || strings.HasSuffix(name, ".clean") || known[name] {
			return nil
		}
		candidates = append(candidates, Orphan{Name: name, Size: size})
		return nil
	})
	if err != nil {
		return r, fmt.Errorf("list %s: %w", files, err)
	}
	sort.Slice(candidates, func(i, j int) bool { return candidates[i].Name < candidates[j].Name })
	for _, o := range candidates {
		uses, err := st.MediaUsage(ctx, news.Media{Path: o.Name})
		if err != nil {
			return r, err
		}
		o.Used = uses
		obj, err := files.Open(ctx, o.Name)
		if errors.Is(err, fs.ErrNotExist) {
			continue // gone meanwhile
		}
		if err != nil {
			return r, fmt.Errorf("read %s: %w", o.Name, err)
		}
		o.ModTime = obj.Info().ModTime
		obj.Close()
		o.Young = !o.ModTime.IsZero() && now.Sub(o.ModTime) < minAge
		if remove && len(o.Used) == 0 && !o.Young {
			if err := files.Delete(ctx, o.Name); err != nil {
				return r, fmt.Errorf("remove %s: %w", o.Name, err)
			}
			o.Removed = true
			r.Removed++
			r.Bytes += o.Size
		}
		r.Orphans = append(r.Orphans, o)
	}
	return r, nil
}
