package server

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"byline/internal/config"
	"byline/internal/news"
	"byline/internal/store/sqlitestore"
)

// memBus is an in-process ChangeBus: every subscriber hears every payload.
type memBus struct {
	mu        sync.Mutex
	subs      []chan []byte
	connected chan struct{}
}

func (b *memBus) Publish(ctx context.Context, p []byte) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, c := range b.subs {
		c <- p
	}
	return nil
}

func (b *memBus) Subscribe(ctx context.Context, fn func([]byte), connected func(), dropped func(error)) error {
	c := make(chan []byte, 100)
	b.mu.Lock()
	b.subs = append(b.subs, c)
	b.mu.Unlock()
	connected()
	b.connected <- struct{}{}
	for {
		select {
		case <-ctx.Done():
			return nil
		case p := <-c:
			fn(p)
		}
	}
}

// busStore is a SQLite store whose changes travel on memBus (in place of
// the store's own Publish and Subscribe, which only watch other processes).
type busStore struct {
	*sqlitestore.Store
	bus *memBus
}

func (b busStore) Publish(ctx context.Context, p []byte) error { return b.bus.Publish(ctx, p) }
func (b busStore) Subscribe(ctx context.Context, fn func([]byte), connected func(), dropped func(error)) error {
	return b.bus.Subscribe(ctx, fn, connected, dropped)
}

func TestChangesReachOtherServers(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	cfg, err := config.Parse("serve", []string{"--data", dir}, func(string) string { return "" }, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlitestore.Open(ctx, cfg.SQLitePath())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	bus := &memBus{connected: make(chan struct{}, 2)}
	var srv [2]*Server
	for i := range srv {
		srv[i], err = New(ctx, Deps{Config: cfg, Store: busStore{st, bus}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(srv[i].Close)
		<-bus.connected
	}
	// Fill both caches.
	for _, s := range srv {
		serve(s.Handler(), httptest.NewRequest("GET", "/", nil))
		if s.Cache().Len() != 1 {
			t.Fatalf("cache entries: got %d, want 1", s.Cache().Len())
		}
	}
	srv[0].Notify(ctx, news.Change{Kind: news.ChangeContent, ArticleID: 7})
	if got := srv[0].Cache().Len(); got != 0 {
		t.Errorf("the notified server keeps %d pages", got)
	}
	deadline := time.Now().Add(2 * time.Second)
	for srv[1].Cache().Len() != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the other server's cache was not purged")
		}
		time.Sleep(5 * time.Millisecond) // polling with a deadline
	}
	// Each server heard its own message too and ignored it: counts say so.
	waitFor(t, func() bool { return counterValue(scrape(t, srv[1]), "byline_changes_received_total") == "1" })
	if got := counterValue(scrape(t, srv[0]), "byline_changes_received_total"); got != "0" {
		t.Errorf("the sender applied its own change: received %s", got)
	}
	if got := counterValue(scrape(t, srv[0]), "byline_changes_published_total"); got != "1" {
		t.Errorf("published: got %s, want 1", got)
	}
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 2s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func counterValue(text, name string) string {
	for _, l := range strings.Split(text, "\n") {
		if len(l) > len(name)+1 && l[:len(name)+1] == name+" " {
			return l[len(name)+1:]
		}
	}
	return ""
}
