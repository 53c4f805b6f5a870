package pgstore

import (
	"context"
	"testing"
	"time"

	"byline/internal/news"
)

func TestChangeBusPublishSubscribeReconnect(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := OpenConfig(ctx, freshSchema(t, "notify"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got := make(chan string, 16)
	connected := make(chan struct{}, 4)
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Subscribe(ctx, func(p []byte) { got <- string(p) }, func() { connected <- struct{}{} }, func(error) {})
	}()
	wait := func(what string) {
		t.Helper()
		select {
		case <-connected:
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: the listener did not connect", what)
		}
	}
	receive := func(want string) {
		t.Helper()
		deadline := time.After(5 * time.Second)
		for {
			select {
			case p := <-got:
				if p == want {
					return
				}
				// Other tests' servers share the database's channel.
			case <-deadline:
				t.Fatalf("payload %q not received", want)
			}
		}
	}
	wait("first connection")
	if err := s.Publish(ctx, []byte(`{"server":"a","kind":"content"}`)); err != nil {
		t.Fatal(err)
	}
	receive(`{"server":"a","kind":"content"}`)

	// Kill the listening backend: the listener reconnects and says so.
	tag, err := s.pool.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE pid <> pg_backend_pid() AND datname = current_database() AND query LIKE 'LISTEN %'`)
	if err != nil {
		t.Fatal(err)
	}
	if tag.RowsAffected() == 0 {
		t.Fatal("no listening backend found")
	}
	wait("reconnection")
	if err := s.Publish(ctx, []byte(`{"server":"b","kind":"sections"}`)); err != nil {
		t.Fatal(err)
	}
	receive(`{"server":"b","kind":"sections"}`)
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Subscribe did not return when its context ended")
	}
}

func TestVisibilityChanged(t *testing.T) {
	ctx := context.Background()
	s, err := OpenConfig(ctx, freshSchema(t, "vis"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sec := news.Section{Slug: "world", Name: "World"}
	if err := s.CreateSection(ctx, &sec); err != nil {
		t.Fatal(err)
	}
	au := news.Author{Slug: "ann", Name: "Ann"}
	if err := s.CreateAuthor(ctx, &au); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	a := news.Article{Slug: "soon", Headline: "Soon", Body: "x", SectionID: sec.ID, Status: news.StatusPublished, PublishedAt: at,
		Authors: []news.Author{au}}
	if err := s.CreateArticle(ctx, &a); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		since, until time.Time
		want         bool
	}{
		{at.Add(-time.Minute), at, true},
		{at.Add(-time.Minute), at.Add(-time.Second), false},
		{at, at.Add(time.Minute), false}, // (since, until]: already counted
	} {
		got, err := s.VisibilityChanged(ctx, c.since, c.until)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("VisibilityChanged(%s, %s): got %v, want %v", c.since, c.until, got, c.want)
		}
	}
}
