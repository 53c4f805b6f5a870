package web

import (
	"bytes"
	"log/slog"
	"testing"

	"byline/internal/comments"
)

// TestThreadOfUnsavedArticle: the preview of an article not saved yet
// (id 0) gets an empty comment box without asking the store, and logs
// nothing (it logged "article not found" as an error on every preview).
func TestThreadOfUnsavedArticle(t *testing.T) {
	var log bytes.Buffer
	w := &Web{logger: slog.New(slog.NewTextHandler(&log, nil))} // no service: it must not be asked
	th := w.Thread(t.Context(), 0)
	if th == nil || th.ArticleID != 0 || th.Max != comments.MaxGraphemes || len(th.Comments) != 0 {
		t.Fatalf("thread = %+v, want an empty one with the 250 limit", th)
	}
	if log.Len() != 0 {
		t.Errorf("logged %q, want nothing", log.String())
	}
}
