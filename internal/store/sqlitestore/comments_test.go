package sqlitestore_test

import (
	"path/filepath"
	"testing"

	"byline/internal/store/sqlitestore"
	"byline/internal/store/storetest"
)

func TestCommentConformance(t *testing.T) {
	storetest.RunComments(t, func(t *testing.T) storetest.CommentEngine {
		s, err := sqlitestore.Open(t.Context(), filepath.Join(t.TempDir(), "c.db"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
