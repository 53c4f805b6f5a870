package server

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// serveMedia serves uploaded and demo files from the media directory.
// Directory listings are never shown, and files are immutable once
// written (new uploads get new names), so browsers may keep them.
func (s *Server) serveMedia() http.Handler {
	root := s.cfg.MediaDir()
	fsrv := http.StripPrefix("/media/", http.FileServer(http.Dir(root)))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rel := strings.TrimPrefix(r.URL.Path, "/media/")
		if rel == "" || strings.HasSuffix(rel, "/") || strings.Contains(rel, "..") {
			s.notFound(w, r)
			return
		}
		st, err := os.Stat(filepath.Join(root, filepath.FromSlash(rel)))
		if err != nil || st.IsDir() {
			s.notFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=2592000, immutable")
		fsrv.ServeHTTP(w, r)
	})
}
