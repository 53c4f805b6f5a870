package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"byline/internal/news"
)

// BenchReaderBySession measures the session look-up every signed-in
// request (and every comment post) makes, over 1,000 readers.
func BenchReaderBySession(b *testing.B, s news.Store) {
	ctx := context.Background()
	const n = 1000
	for i := range n {
		r := news.Reader{Provider: "bench", Subject: fmt.Sprint(i), Name: fmt.Sprintf("Reader %d", i)}
		if err := s.UpsertReader(ctx, &r); err != nil {
			b.Fatal(err)
		}
		if err := s.CreateReaderSession(ctx, fmt.Sprintf("token-%d", i), r.ID, time.Now().Add(time.Hour)); err != nil {
			b.Fatal(err)
		}
	}
	now := time.Now()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := s.ReaderBySession(ctx, fmt.Sprintf("token-%d", i%n), now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchReplaceBilingual measures loading a bilingual dictionary of
// 20,000 entries (what `byline dict import` does).
func BenchReplaceBilingual(b *testing.B, s news.Store) {
	ctx := context.Background()
	entries := make([]news.BilingualEntry, 20000)
	for i := range entries {
		entries[i] = news.BilingualEntry{Headword: fmt.Sprintf("headword %d", i), Translation: fmt.Sprintf("번역 %d", i), Note: "n."}
	}
	b.ResetTimer()
	for b.Loop() {
		if err := s.ReplaceBilingual(ctx, "bench", entries); err != nil {
			b.Fatal(err)
		}
	}
}
