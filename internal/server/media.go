package server

import (
	"errors"
	"io/fs"
	"net/http"
	"os"
	"strings"

	"byline/internal/config"
	"byline/internal/media"
	"byline/internal/news"
)

// mediaStorage is where media files live. A server on a bucket also
// reads the files still only in its old media directory (a paper moving
// to a bucket serves them until `byline media migrate` has copied them).
func mediaStorage(c *config.Config) (media.Storage, error) {
	st, err := media.Configured(c)
	if err != nil {
		return nil, err
	}
	if _, isDisk := st.(media.Disk); !isDisk {
		if fi, err := os.Stat(c.MediaDir()); err == nil && fi.IsDir() {
			st = media.Fallback{Primary: st, Secondary: media.Disk{Root: c.MediaDir()}}
		}
	}
	return st, nil
}

// serveMedia serves uploaded and demo files from the media storage
// (directory or bucket). Directory listings are never shown, and files
// are immutable once written (new uploads get new names), so browsers
// and caches may keep them; the ETag answers revalidations with 304.
func (s *Server) serveMedia() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rel := strings.TrimPrefix(r.URL.Path, "/media/")
		if rel == "" || strings.HasSuffix(rel, "/") || strings.Contains(rel, "..") || strings.HasPrefix(rel, ".") || strings.Contains(rel, "/.") {
			s.notFound(w, r)
			return
		}
		obj, err := s.files.Open(r.Context(), rel)
		if errors.Is(err, fs.ErrNotExist) {
			// A replaced image's old files lead to the new ones.
			if target, err := s.store.MediaRedirect(r.Context(), rel); err == nil {
				w.Header().Set("Cache-Control", "public, max-age=3600")
				http.Redirect(w, r, news.MediaURL(target), http.StatusMovedPermanently)
				return
			}
			s.notFound(w, r)
			return
		}
		if err != nil {
			s.logger.ErrorContext(r.Context(), "media: open", "path", rel, "err", err)
			w.Header().Set("Retry-After", "5")
			http.Error(w, "The image cannot be read right now; try again shortly.", http.StatusServiceUnavailable)
			return
		}
		defer obj.Close()
		// An image older than renditions gets them now (once, in the
		// background); the pages showing it are purged when they exist.
		if s.backfill != nil && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			s.backfill.Want(s.bgCtx, rel)
		}
		info := obj.Info()
		h := w.Header()
		h.Set("Cache-Control", "public, max-age=2592000, immutable")
		if info.ETag != "" {
			h.Set("ETag", info.ETag)
		}
		http.ServeContent(w, r, rel, info.ModTime, obj)
	})
}
