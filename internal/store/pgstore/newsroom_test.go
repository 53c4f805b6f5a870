package pgstore

import (
	"context"
	"testing"

	"byline/internal/news"
	"byline/internal/store/storetest"
)

// Run with a server: eval "$(scripts/pg-test.sh)"; go test -tags pgstore ./internal/store/pgstore/
func TestNewsroomConformance(t *testing.T) {
	storetest.RunNewsroom(t, func(t *testing.T) interface {
		news.Store
		news.NewsroomStore
	} {
		s, err := OpenConfig(context.Background(), freshSchema(t, "byline_nr"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
