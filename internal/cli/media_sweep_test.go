package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/minio/minio-go/v7"

	"byline/internal/media/s3test"
)

// TestMediaSweep: `byline media sweep` on a demo paper, on the directory
// and on a bucket (versitygw): an object no record names is reported,
// then removed with --remove; the demo's pictures, all records, stay.
func TestMediaSweep(t *testing.T) {
	t.Run("directory", func(t *testing.T) {
		dir := t.TempDir()
		if r := run(t, nil, "demo", "--data", dir); r.code != 0 {
			t.Fatalf("demo: %s", r.stderr)
		}
		orphan := filepath.Join(dir, "media", "2026", "05", "0123456789abcdef.jpg")
		if err := os.MkdirAll(filepath.Dir(orphan), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(orphan, []byte("left behind"), 0o644); err != nil {
			t.Fatal(err)
		}
		before := filesUnder(t, filepath.Join(dir, "media"))
		r := run(t, nil, "media", "sweep", "--data", dir)
		if r.code != 0 || !strings.Contains(r.stdout, "2026/05/0123456789abcdef.jpg\t11 bytes\torphan") || !strings.Contains(r.stdout, "1 files with no record; run with --remove") {
			t.Fatalf("sweep: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		if got := filesUnder(t, filepath.Join(dir, "media")); got != before {
			t.Errorf("a report changed the directory: %d files, want %d", got, before)
		}
		// Just written: kept by the default minimum age.
		if r := run(t, nil, "media", "sweep", "--data", dir, "--remove"); r.code != 0 || !strings.Contains(r.stdout, "0 removed") || !strings.Contains(r.stdout, "newer than --min-age") {
			t.Errorf("sweep --remove of a new file: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		r = run(t, nil, "media", "sweep", "--data", dir, "--remove", "--min-age", "0s")
		if r.code != 0 || !strings.Contains(r.stdout, "1 removed (11 bytes)") {
			t.Fatalf("sweep --remove: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		if _, err := os.Stat(orphan); !os.IsNotExist(err) {
			t.Errorf("the orphan is still there (%v)", err)
		}
		if got := filesUnder(t, filepath.Join(dir, "media")); got != before-1 {
			t.Errorf("after the sweep %d files, want %d (only the orphan gone)", got, before-1)
		}
		if r := run(t, nil, "media", "sweep", "--data", dir, "--min-age", "-1h"); r.code == 0 || !strings.Contains(r.stderr, "--min-age") {
			t.Errorf("negative --min-age: exit %d %s", r.code, r.stderr)
		}
	})
	t.Run("s3", func(t *testing.T) {
		s3 := s3test.Start(t)
		dir := t.TempDir()
		args := append([]string{"--data", dir}, s3.Args("paper")...)
		if r := run(t, nil, append([]string{"demo"}, args...)...); r.code != 0 {
			t.Fatalf("demo: %s", r.stderr)
		}
		if _, err := s3.Client(t).PutObject(t.Context(), s3.Bucket, "paper/2026/05/fedcba9876543210-480.jpg", strings.NewReader("half an upload"), 14, minio.PutObjectOptions{}); err != nil {
			t.Fatal(err)
		}
		r := run(t, nil, append([]string{"media", "sweep", "--remove", "--min-age", "0s"}, args...)...)
		if r.code != 0 || !strings.Contains(r.stdout, "2026/05/fedcba9876543210-480.jpg\t14 bytes\tremoved") || !strings.Contains(r.stdout, "1 files with no record; 1 removed") {
			t.Fatalf("sweep on the bucket: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		if _, err := s3.Client(t).StatObject(t.Context(), s3.Bucket, "paper/2026/05/fedcba9876543210-480.jpg", minio.StatObjectOptions{}); err == nil {
			t.Error("the orphan object is still in the bucket")
		}
		r = run(t, nil, append([]string{"media", "sweep"}, args...)...)
		if r.code != 0 || !strings.Contains(r.stdout, "0 files with no record") {
			t.Errorf("second sweep: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
	})
}
