package cli_test

import (
	"bufio"
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"byline/internal/demo"
	"byline/internal/news"
	"byline/internal/store/sqlitestore"
	"byline/internal/testutil"
)

// Story entries edited or removed by another process (a command, an
// import: another connection to the SQLite file) reach open pages: the
// server notices the write, signals the story's streams, and the
// updates fragment carries the edit and the removal.
func TestStoryChangesFromAnotherProcess(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithDemo())
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := app.Store.StoryBySlug(ctx, demo.DemoStorySlug)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := app.Store.StoryEntries(ctx, news.EntryQuery{StoryID: st.ID, Newest: true})
	if err != nil || len(entries) < 2 {
		t.Fatalf("demo story entries: %d %v", len(entries), err)
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, app.URL+st.URL()+"/live", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	lines := make(chan string, 64)
	go func() {
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	waitEvent := func(what string) {
		t.Helper()
		// The server notices another process's write by polling the
		// file's data version; a loaded machine can take a while.
		deadline := time.After(15 * time.Second)
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("%s: the stream ended", what)
				}
				if l == "event: entry" {
					return
				}
			case <-deadline:
				t.Fatalf("%s: no event on the stream within 15 s", what)
			}
		}
	}
	for l := range lines {
		if l == ": connected" {
			break
		}
	}
	since := time.Now().UnixMilli()
	for time.Now().UnixMilli() == since { // the edit is a later millisecond
	}
	other, err := sqlitestore.Open(ctx, app.Config.SQLitePath())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()

	e := entries[0]
	e.Text = "Edited by another process: the envoy leaves."
	if err := other.UpdateStoryEntry(ctx, &e); err != nil {
		t.Fatal(err)
	}
	waitEvent("edit")
	if err := other.DeleteStoryEntry(ctx, st.ID, entries[1].ID); err != nil {
		t.Fatal(err)
	}
	waitEvent("removal")
	r, body := app.Do(t, mustGet(t, app.URL+st.URL()+"/updates?since="+strconv.FormatInt(since, 10)))
	if r.Header.Get("X-Story-Changed") != "1" || !strings.Contains(string(body), "the envoy leaves") ||
		r.Header.Get("X-Story-Removed") != strconv.FormatInt(entries[1].ID, 10) {
		t.Errorf("updates: changed %q removed %q body %s; want the edit and entry %d removed",
			r.Header.Get("X-Story-Changed"), r.Header.Get("X-Story-Removed"), body, entries[1].ID)
	}
}

func mustGet(t *testing.T, u string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}
