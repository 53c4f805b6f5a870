package api_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"byline/internal/api"
	"byline/internal/news"
	"byline/internal/store/sqlitestore"
)

// plainStore hides the engine's own keyset paging, as an engine without
// news.ContentStore would.
type plainStore struct{ news.Store }

func TestCursorFallbackMatchesKeyset(t *testing.T) {
	ctx := context.Background()
	st, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sec := news.Section{Name: "News"}
	if err := st.CreateSection(ctx, &sec); err != nil {
		t.Fatal(err)
	}
	base := time.Now().Add(-time.Hour).Truncate(time.Millisecond)
	for i := range 12 {
		// Groups of three share a publish time, so ties must page right.
		a := news.Article{Headline: "Story", SectionID: sec.ID, Status: news.StatusPublished, PublishedAt: base.Add(time.Duration(i/3) * time.Minute)}
		if err := st.CreateArticle(ctx, &a); err != nil {
			t.Fatal(err)
		}
	}
	fallback := api.ContentStoreOf(plainStore{st})
	if _, ok := fallback.(*sqlitestore.Store); ok {
		t.Fatal("the wrapper did not hide the keyset paging")
	}
	pages := func(cs news.ContentStore) []int64 {
		var ids []int64
		var after *news.Cursor
		for guard := 0; guard < 20; guard++ {
			list, err := cs.ListVisibleAfter(ctx, news.CursorQuery{After: after, Limit: 4})
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range list {
				ids = append(ids, a.ID)
			}
			if len(list) < 4 {
				break
			}
			last := list[len(list)-1]
			after = &news.Cursor{PublishedAt: last.PublishedAt, ID: last.ID}
		}
		return ids
	}
	want, got := pages(st), pages(fallback)
	if len(want) != 12 || len(got) != len(want) {
		t.Fatalf("keyset %v, fallback %v", want, got)
	}
	for i := range want {
		if want[i] != got[i] {
			t.Fatalf("keyset %v, fallback %v", want, got)
		}
	}
}
