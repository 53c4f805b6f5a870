package pgstore

import (
	"context"
	"testing"

	"byline/internal/store/storetest"
)

func TestCommentConformance(t *testing.T) {
	storetest.RunComments(t, func(t *testing.T) storetest.CommentEngine {
		s, err := OpenConfig(context.Background(), freshSchema(t, "byline_test"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
