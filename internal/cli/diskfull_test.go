package cli_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"byline/internal/news"
	"byline/internal/testutil"
)

// tmpfsDir mounts a small tmpfs for the test (root only; CI runs as root)
// and unmounts it when the test ends.
func tmpfsDir(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "byline-test", dir).CombinedOutput()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("mount a tmpfs (CI runs as root and must run this test): %v %s", err, out)
		}
		t.Skipf("cannot mount a tmpfs here (needs root): %v %s", err, strings.TrimSpace(string(out)))
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", "-l", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v %s", dir, err, out)
		}
	})
	return dir
}

// fill writes to path until the file system is full.
func fill(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	block := make([]byte, 1<<16)
	for {
		if _, err := f.Write(block); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("fill the disk: %v", err)
			}
			return
		}
	}
}

// A full disk: a comment is refused with 507 and a sentence that says
// nothing was saved (JSON), pages keep being read, and once there is room
// again the same comment goes through.
func TestDiskFull(t *testing.T) {
	dir := tmpfsDir(t, "48m")
	app := testutil.NewApp(t, testutil.WithDemo(), testutil.WithDataDir(filepath.Join(dir, "data")))
	ctx := context.Background()
	rd := news.Reader{Provider: "dev", Subject: "full", Name: "Fay Full"}
	if err := app.Store.UpsertReader(ctx, &rd); err != nil {
		t.Fatal(err)
	}
	cookie := "disk-full-session-token"
	sum := sha256.Sum256([]byte(cookie))
	if err := app.Store.CreateReaderSession(ctx, hex.EncodeToString(sum[:]), rd.ID, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	a := app.DemoArticle(t, "housing-supply-bill-stalls")
	post := func(text string) (int, string, string) {
		t.Helper()
		body, _ := json.Marshal(map[string]string{"body": text})
		req, _ := http.NewRequest("POST", app.URL+"/api/v1/articles/"+strconv.FormatInt(a.ID, 10)+"/comments", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		req.AddCookie(&http.Cookie{Name: "byline_reader", Value: cookie})
		res, err := app.Client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		data, _ := io.ReadAll(res.Body)
		var e struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		json.Unmarshal(data, &e)
		return res.StatusCode, e.Error.Code, e.Error.Message
	}
	// The WAL is emptied first so that the next write needs new blocks.
	if _, err := app.Store.Writer().ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	filler := filepath.Join(dir, "filler")
	fill(t, filler)

	text := "The ferry left on time today, which nobody in town will believe."
	status, code, msg := post(text)
	if status != http.StatusInsufficientStorage || code != "storage_full" || !strings.Contains(msg, "disk is full; nothing was saved") {
		t.Errorf("comment on a full disk = %d %q %q, want 507 storage_full saying nothing was saved", status, code, msg)
	}
	for _, p := range []string{"/", a.URL(), "/search?q=housing"} {
		if res, _ := app.Get(t, p); res.StatusCode != http.StatusOK {
			t.Errorf("GET %s on a full disk = %d, want 200", p, res.StatusCode)
		}
	}

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	if status, code, msg := post(text); status != http.StatusCreated && status != http.StatusOK {
		t.Errorf("comment once there is room again = %d %q %q, want it stored", status, code, msg)
	}
}
