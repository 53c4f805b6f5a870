package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"byline/internal/news"
	"byline/internal/store/pgstore"
)

// TestEmbargoAndScheduleAcrossServers runs two real `byline serve`
// processes on one PostgreSQL database with a real webhook receiver:
//
//   - an article published under embargo through server A sends nothing
//     to the receiver before the embargo ends, and exactly one "publish"
//     delivery after it (either server may send it, never both);
//
//   - an article scheduled through A appears on B's cached home page on
//     its second (the schedulers sleep until the due time; they used to
//     tick every 15 s).
//
//     eval "$(scripts/pg-test.sh)"; go test ./internal/cli/ -run TestEmbargoAndSchedule
func TestEmbargoAndScheduleAcrossServers(t *testing.T) {
	p := demoPaperOnPostgres(t, "emb")
	db, dbArg, bin, token := p.db, p.dbArg, p.bin, p.token
	ctx := context.Background()

	type arrival struct {
		event string
		id    int64
		at    time.Time
	}
	var mu sync.Mutex
	var got []arrival
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var ev struct {
			Article struct {
				ID int64 `json:"id"`
			} `json:"article"`
		}
		data, _ := io.ReadAll(r.Body)
		json.Unmarshal(data, &ev)
		mu.Lock()
		got = append(got, arrival{r.Header.Get("X-Byline-Event"), ev.Article.ID, time.Now()})
		mu.Unlock()
	}))
	defer receiver.Close()
	deliveries := func(id int64) []arrival {
		mu.Lock()
		defer mu.Unlock()
		var out []arrival
		for _, a := range got {
			if a.id == id {
				out = append(out, a)
			}
		}
		return out
	}
	st, err := pgstore.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.CreateWebhook(ctx, &news.Webhook{URL: receiver.URL, Secret: "embargo-test-secret", Active: true}); err != nil {
		t.Fatal(err)
	}
	a := startServer(t, bin, dbArg, "--webhooks-allow-private")
	b := startServer(t, bin, dbArg, "--webhooks-allow-private")
	client := &http.Client{Timeout: 10 * time.Second}
	admin := func(method, path string, body any, out any) {
		t.Helper()
		raw, _ := json.Marshal(body)
		req, _ := http.NewRequest(method, a+path, bytes.NewReader(raw))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		defer res.Body.Close()
		data, _ := io.ReadAll(res.Body)
		if res.StatusCode >= 300 {
			t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, data)
		}
		if out != nil {
			json.Unmarshal(data, out)
		}
	}
	home := func(base string) string {
		res, err := client.Get(base + "/")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		data, _ := io.ReadAll(res.Body)
		return string(data)
	}

	// 1. Embargo: nothing before, one publish after.
	var emb struct {
		ID int64 `json:"id"`
	}
	embargo := time.Now().Add(3 * time.Second).Truncate(time.Millisecond)
	admin("POST", "/api/v1/admin/articles", map[string]any{"headline": "Embargoed trade figures", "dek": "Under embargo",
		"body": "Exports rose.", "section": "national/politics", "authors": []any{1}, "embargo_until": embargo}, &emb)
	admin("POST", fmt.Sprintf("/api/v1/admin/articles/%d/publish", emb.ID), nil, nil)
	home(b) // cache B's home page while the article is hidden
	for time.Now().Before(embargo) {
		if d := deliveries(emb.ID); len(d) > 0 {
			t.Fatalf("the receiver heard %q of the article %s before its embargo ended", d[0].event, embargo.Sub(d[0].at))
		}
		time.Sleep(20 * time.Millisecond) // poll until the embargo, bounded by it
	}
	deadline := embargo.Add(10 * time.Second)
	for len(deliveries(emb.ID)) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no publish delivery within 10 s of the embargo's end")
		}
		time.Sleep(20 * time.Millisecond)
	}
	first := deliveries(emb.ID)[0]
	t.Logf("embargoed article announced %s after the embargo ended", first.at.Sub(embargo).Round(time.Millisecond))
	if first.event != "publish" {
		t.Errorf("first delivery is %q, want publish", first.event)
	}
	if !strings.Contains(home(b), "Embargoed trade figures") {
		t.Error("the second server's home page does not show the article after its embargo")
	}

	// 2. Scheduled through A, on B's home page on its second.
	var sched struct {
		ID int64 `json:"id"`
	}
	admin("POST", "/api/v1/admin/articles", map[string]any{"headline": "Punctual harbour report", "dek": "On the second",
		"body": "It went out on time.", "section": "national/politics", "authors": []any{1}}, &sched)
	at := time.Now().Add(3 * time.Second).Truncate(time.Second)
	admin("POST", fmt.Sprintf("/api/v1/admin/articles/%d/publish", sched.ID), map[string]any{"at": at}, nil)
	home(b)
	deadline = at.Add(10 * time.Second)
	for !strings.Contains(home(b), "Punctual harbour report") {
		if time.Now().After(deadline) {
			t.Fatal("the scheduled article was not on the second server's home page within 10 s of its time")
		}
		time.Sleep(20 * time.Millisecond)
	}
	lag := time.Since(at)
	t.Logf("scheduled article on the second server's home page %s after its time", lag.Round(time.Millisecond))
	// The schedulers aim at the second; 2 s leaves room for a loaded CI
	// machine, and is far below the 15 s ticker this replaced.
	if lag > 2*time.Second {
		t.Errorf("scheduled article appeared %s after its time, want within 2 s", lag.Round(time.Millisecond))
	}

	// Exactly once each, by whichever server sent it.
	time.Sleep(1500 * time.Millisecond) // give a duplicate the time to arrive, if there were one
	if d := deliveries(emb.ID); len(d) != 1 {
		t.Errorf("embargoed article: %d deliveries %v, want exactly one publish", len(d), d)
	}
	if d := deliveries(sched.ID); len(d) != 1 || d[0].event != "publish" {
		t.Errorf("scheduled article: deliveries %v, want exactly one publish", d)
	}
}
