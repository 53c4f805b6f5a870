package sqlitestore

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"byline/internal/news"
)

// Subscribe reports another process's writes, counting from Open: a
// write that lands while the server is still starting (before its
// watcher first reads the data version) is reported, and the store's
// own writes never are.
func TestSubscribeCountsFromOpen(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	path := filepath.Join(t.TempDir(), "byline.db")
	srv, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	other, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()

	// The server writes through its own store: not another process's.
	if err := srv.CreateSection(ctx, &news.Section{Slug: "national", Name: "National"}); err != nil {
		t.Fatal(err)
	}
	// Another process writes before the watcher starts.
	if err := other.CreateSection(ctx, &news.Section{Slug: "business", Name: "Business"}); err != nil {
		t.Fatal(err)
	}

	got := make(chan []byte, 8)
	sctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- srv.Subscribe(sctx, func(p []byte) { got <- p }, nil, func(err error) { t.Errorf("dropped: %v", err) })
	}()
	select {
	case p := <-got:
		var m struct {
			Server string `json:"server"`
			Kind   string `json:"kind"`
		}
		if err := json.Unmarshal(p, &m); err != nil || m.Server != ExternalSender || m.Kind != string(news.ChangeAll) {
			t.Errorf("payload %s (%v); want server %q kind %q", p, err, ExternalSender, news.ChangeAll)
		}
	case <-ctx.Done():
		t.Fatal("a write made before Subscribe started was not reported")
	}

	// Only the server's own writes now: nothing more is reported.
	if err := srv.CreateSection(ctx, &news.Section{Slug: "sports", Name: "Sports"}); err != nil {
		t.Fatal(err)
	}
	select {
	case p := <-got:
		t.Errorf("the store's own write was reported: %s", p)
	case <-time.After(3 * ExternalPoll):
	}
	// Another write from the other process is reported again.
	if err := other.CreateSection(ctx, &news.Section{Slug: "culture", Name: "Culture"}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-got:
	case <-ctx.Done():
		t.Fatal("the second write by another process was not reported")
	}
	stop()
	if err := <-done; err != nil {
		t.Errorf("Subscribe returned %v", err)
	}
}
