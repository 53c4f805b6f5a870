package sqlitestore

import (
	"context"
	"path/filepath"
	"testing"

	"byline/internal/news"
	"byline/internal/store/storetest"
)

func TestNewsroomConformance(t *testing.T) {
	storetest.RunNewsroom(t, func(t *testing.T) interface {
		news.Store
		news.NewsroomStore
	} {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "byline.db"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
