package media

import (
	"bytes"
	"context"
	"image"
	"path"
	"strings"
	"sync"

	"byline/internal/news"
)

// Backfill makes the renditions of images stored before Byline made any
// (an old library, an early import), once, when one is first asked for:
// the server calls Want with the path of every original it serves, and
// the renditions are made in the background, recorded, and the articles
// that show the image as lead get its srcset (their cached pages are
// purged through Notify). Each path is looked up at most once per process.
type Backfill struct {
	Lib *Library
	// Go runs the work; nil runs it at once (tests).
	Go   func(func())
	seen sync.Map // path -> struct{}
	mu   sync.Mutex
	wg   sync.WaitGroup
}

// Wait returns when no work is left running.
func (b *Backfill) Wait() { b.wg.Wait() }

// Want notes that the file at name (relative to the media directory) was
// asked for. ctx bounds the work: the server's life, not the request's.
// One image is worked on at a time.
func (b *Backfill) Want(ctx context.Context, name string) {
	if b == nil || b.Lib == nil {
		return
	}
	if _, loaded := b.seen.LoadOrStore(name, struct{}{}); loaded {
		return
	}
	b.wg.Add(1)
	run := func() {
		defer b.wg.Done()
		b.mu.Lock()
		defer b.mu.Unlock()
		if _, err := b.Lib.Renditions(ctx, name); err != nil && news.KindOf(err) != news.KindNotFound && ctx.Err() == nil {
			b.Lib.logger().WarnContext(ctx, "media: making renditions of an older image", "file", name, "err", err)
		}
	}
	if b.Go == nil {
		run()
		return
	}
	b.Go(run)
}

// Renditions makes and records the renditions of the item whose original
// is at name if it has none and is wider than the narrowest width. It
// returns the item (unchanged when there was nothing to do); a path that
// is no item's original is KindNotFound.
func (l *Library) Renditions(ctx context.Context, name string) (news.Media, error) {
	m, err := l.Store.MediaByPath(ctx, name)
	if err != nil {
		return m, err
	}
	if len(m.Renditions) > 0 || len(l.Widths) == 0 || m.Width <= l.Widths[0] {
		return m, nil
	}
	data, err := l.readFile(ctx, m.Path)
	if err != nil {
		return m, err
	}
	img, format, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return m, invalid("the stored %s file %s cannot be read", format, m.Path)
	}
	rot := 1
	if format == "jpeg" {
		rot = jpegOrientation(data)
	}
	// New names beside the original: never one a reader may have cached.
	base := strings.TrimSuffix(m.Path, path.Ext(m.Path)) + "-" + randomName()[:6]
	var rs []news.Rendition
	var written []string
	src := img
	for i := len(l.Widths) - 1; i >= 0; i-- {
		w := l.Widths[i]
		if w >= m.Width {
			continue
		}
		r, dst, err := l.rendition(ctx, src, base, w, rot)
		if err != nil {
			l.remove(ctx, written)
			return m, storageError(err)
		}
		written = append(written, r.Path)
		rs = append([]news.Rendition{r}, rs...)
		src = dst
	}
	changed, err := l.Store.SetMediaRenditions(ctx, m.ID, rs)
	if err != nil {
		l.remove(ctx, written)
		if news.KindOf(err) == news.KindConflict {
			return l.Store.MediaByID(ctx, m.ID)
		}
		return m, err
	}
	if l.Notify != nil {
		for _, a := range changed {
			l.Notify.Notify(ctx, news.Change{Kind: news.ChangeContent, ArticleID: a})
		}
	}
	m.Renditions = rs
	return m, nil
}
