package media

import (
	"context"
	"path/filepath"
	"testing"

	"byline/internal/media/s3test"
	"byline/internal/news"
	"byline/internal/store/sqlitestore"
)

// BenchmarkUpload12MPStorage compares the whole upload of a 4000×3000
// JPEG (check, decode, three renditions, store, record) into the local
// directory and into a bucket of a real S3 server (versitygw on
// 127.0.0.1; skipped without BYLINE_TEST_VERSITYGW).
//
//	eval "$(scripts/test-s3.sh)"; go test ./internal/media/ -run - -bench Upload12MPStorage -benchtime 10x
func BenchmarkUpload12MPStorage(b *testing.B) {
	data := encodeJPEG(b, 4000, 3000)
	for _, kind := range []string{"disk", "s3"} {
		b.Run(kind, func(b *testing.B) {
			dir := b.TempDir()
			st, err := sqlitestore.Open(context.Background(), filepath.Join(dir, "b.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			var files Storage = Disk{Root: filepath.Join(dir, "media")}
			if kind == "s3" {
				srv := s3test.Start(b)
				files, err = NewS3(S3Options{Endpoint: srv.Endpoint, Region: "us-east-1", PathStyle: true, AccessKey: srv.AccessKey, SecretKey: srv.SecretKey}, srv.Bucket, "bench")
				if err != nil {
					b.Fatal(err)
				}
			}
			lib := New(st, files)
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := lib.Upload(context.Background(), data, news.Media{Alt: "bench"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
