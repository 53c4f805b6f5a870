package storetest

import (
	"context"
	"testing"

	"byline/internal/news"
)

// BenchArticleByID measures loading one published article with all it
// shows (bylines, tags, corrections): an article page that misses the
// page cache.
func BenchArticleByID(b *testing.B, s news.Store) {
	ctx := context.Background()
	page, err := s.ListArticles(ctx, news.ArticleQuery{Limit: 100})
	if err != nil || len(page.Articles) == 0 {
		b.Fatalf("list articles: %d, %v", len(page.Articles), err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := s.ArticleByID(ctx, page.Articles[i%len(page.Articles)].ID); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchListVisibleAfter measures a Content API page deep in the archive
// (keyset paging from a cursor 1,000 articles down).
func BenchListVisibleAfter(b *testing.B, s news.Store) {
	ctx := context.Background()
	page, err := s.ListArticles(ctx, news.ArticleQuery{Limit: 1, Offset: 1000})
	if err != nil || len(page.Articles) == 0 {
		b.Fatalf("list articles: %d, %v", len(page.Articles), err)
	}
	a := page.Articles[0]
	q := news.CursorQuery{After: &news.Cursor{PublishedAt: a.PublishedAt, ID: a.ID}, Limit: 20}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		got, err := s.ListVisibleAfter(ctx, q)
		if err != nil || len(got) != 20 {
			b.Fatalf("list visible after: %d, %v", len(got), err)
		}
	}
}
