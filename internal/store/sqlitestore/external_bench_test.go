package sqlitestore

import (
	"context"
	"path/filepath"
	"testing"
)

// BenchmarkDataVersion is the cost of one external-write poll (twice a
// second per server): one PRAGMA on the writer connection.
func BenchmarkDataVersion(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "byline.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for b.Loop() {
		if _, err := s.dataVersion(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
