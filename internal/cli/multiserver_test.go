package cli_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"byline/internal/news"
	"byline/internal/store/pgstore"
)

// TestTwoServersOneDatabase runs two real `byline serve` processes on one
// PostgreSQL database: a change made through the first is served by the
// second within a second (LISTEN/NOTIFY purges its page cache), and after
// the first is killed with SIGKILL in the middle of a burst of writes,
// every write it acknowledged is in the database.
//
//	eval "$(scripts/pg-test.sh)"; go test ./internal/cli/ -run TestTwoServers
func TestTwoServersOneDatabase(t *testing.T) {
	p := demoPaperOnPostgres(t, "ms")
	db, dbArg, bin, token := p.db, p.dbArg, p.bin, p.token
	ctx := context.Background()
	// A reader with a session (as the sign-in flow would leave it).
	st, err := pgstore.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rd := news.Reader{Provider: "dev", Subject: "ann", Name: "Ann Reader"}
	if err := st.UpsertReader(ctx, &rd); err != nil {
		t.Fatal(err)
	}
	cookie := "multi-server-session-token"
	sum := sha256.Sum256([]byte(cookie))
	if err := st.CreateReaderSession(ctx, hex.EncodeToString(sum[:]), rd.ID, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}

	// A webhook receiver on loopback counts deliveries per event and
	// article: with two servers, each event must arrive once.
	var hooksMu sync.Mutex
	hooks := map[string]int{}
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var ev struct {
			Article struct {
				ID int64 `json:"id"`
			} `json:"article"`
		}
		data, _ := io.ReadAll(r.Body)
		json.Unmarshal(data, &ev)
		hooksMu.Lock()
		hooks[fmt.Sprintf("%s %d", r.Header.Get("X-Byline-Event"), ev.Article.ID)]++
		hooksMu.Unlock()
	}))
	defer receiver.Close()
	if err := st.CreateWebhook(ctx, &news.Webhook{URL: receiver.URL, Secret: "s3cret-for-the-test", Active: true}); err != nil {
		t.Fatal(err)
	}

	a := startServer(t, bin, dbArg, "--webhooks-allow-private")
	b := startServer(t, bin, dbArg, "--webhooks-allow-private")
	serversUp := time.Now()
	client := &http.Client{Timeout: 10 * time.Second}
	admin := func(base, method, path string, body any, out any) int {
		t.Helper()
		raw, _ := json.Marshal(body)
		req, _ := http.NewRequest(method, base+path, bytes.NewReader(raw))
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
		return res.StatusCode
	}
	get := func(url string) string {
		t.Helper()
		res, err := client.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		data, _ := io.ReadAll(res.Body)
		return string(data)
	}
	// within polls url on the second server until it contains want; the
	// change must show within one second of its acknowledgement.
	within := func(what, url, want string, since time.Time) {
		t.Helper()
		deadline := since.Add(time.Second)
		for {
			if strings.Contains(get(url), want) {
				t.Logf("%s: served by the second server %s after the first acknowledged it", what, time.Since(since).Round(time.Millisecond))
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: the second server did not serve %q within 1s", what, want)
			}
			time.Sleep(10 * time.Millisecond) // poll, bounded by the deadline
		}
	}

	// 1. Publish through A; B's cached home page shows it.
	get(b + "/")
	get(b + "/")
	var art struct {
		ID  int64  `json:"id"`
		URL string `json:"url"`
	}
	admin(a, "POST", "/api/v1/admin/articles", map[string]any{"headline": "Harbour wall holds in the storm", "dek": "Two servers",
		"body": "The wall held.", "section": "national/politics", "authors": []any{1}}, &art)
	admin(a, "POST", fmt.Sprintf("/api/v1/admin/articles/%d/publish", art.ID), nil, &art)
	within("publish", b+"/", "Harbour wall holds in the storm", time.Now())
	path := art.URL
	if i := strings.Index(path, "://"); i >= 0 {
		path = path[strings.Index(path[i+3:], "/")+i+3:]
	}

	// 2. Correct through A; B's cached article page shows the correction.
	get(b + path)
	admin(a, "POST", fmt.Sprintf("/api/v1/admin/articles/%d/corrections", art.ID), map[string]any{"body": "An earlier version misnamed the harbour.", "kind": "correction"}, nil)
	within("correction", b+path, "An earlier version misnamed the harbour.", time.Now())

	// 3. Comment through A; B's cached article page shows the comment.
	get(b + path)
	req, _ := http.NewRequest("POST", a+fmt.Sprintf("/api/v1/articles/%d/comments", art.ID), strings.NewReader(`{"body":"Seen from the second server"}`))
	req.Header.Set("Content-Type", "application/json")
	req.AddCookie(&http.Cookie{Name: "byline_reader", Value: cookie})
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("post comment: %d %s", res.StatusCode, data)
	}
	within("comment", b+path, "Seen from the second server", time.Now())

	// 4. An article scheduled through A is published exactly once,
	// although both servers run the scheduler (every 15 s, so both look
	// at about the same moment): one revision "scheduled publish", one
	// webhook delivery.
	var sched struct {
		ID int64 `json:"id"`
	}
	admin(a, "POST", "/api/v1/admin/articles", map[string]any{"headline": "Scheduled for both servers", "dek": "Once",
		"body": "Exactly once.", "section": "national/politics", "authors": []any{1}}, &sched)
	admin(a, "POST", fmt.Sprintf("/api/v1/admin/articles/%d/publish", sched.ID), map[string]any{"at": time.Now().Add(2 * time.Second)}, nil)
	// Both schedulers have looked after their first tick past the due time.
	deadline := serversUp.Add(40 * time.Second)
	for {
		hooksMu.Lock()
		n := hooks[fmt.Sprintf("publish %d", sched.ID)]
		hooksMu.Unlock()
		if n > 0 && time.Since(serversUp) > 17*time.Second {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the scheduled article's webhook did not arrive within 40 s: %v", hooks)
		}
		time.Sleep(50 * time.Millisecond) // poll, bounded by the deadline
	}
	var revs int
	if err := st.Pool().QueryRow(ctx, `SELECT count(*) FROM revisions WHERE article_id = $1 AND note = 'scheduled publish'`, sched.ID).Scan(&revs); err != nil {
		t.Fatal(err)
	}
	hooksMu.Lock()
	n := hooks[fmt.Sprintf("publish %d", sched.ID)]
	hooksMu.Unlock()
	if revs != 1 || n != 1 {
		t.Errorf("scheduled article published %d times (revisions), webhook delivered %d times; want 1 and 1", revs, n)
	}

	// 5. A burst of corrections at A, killed with SIGKILL half-way: every
	// acknowledged one must be in the database.
	const burst, workers = 500, 8
	var acked sync.Map
	var nAcked, next atomic.Int64
	killed := make(chan struct{})
	var killOnce sync.Once
	var wg sync.WaitGroup
	burstClient := &http.Client{Timeout: 5 * time.Second}
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1)
				if i > burst {
					return
				}
				body := fmt.Sprintf("Burst correction number %d.", i)
				raw, _ := json.Marshal(map[string]string{"body": body, "kind": "update"})
				req, _ := http.NewRequest("POST", a+fmt.Sprintf("/api/v1/admin/articles/%d/corrections", art.ID), bytes.NewReader(raw))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+token)
				res, err := burstClient.Do(req)
				if err != nil {
					continue // the server is gone: not acknowledged
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode == http.StatusCreated {
					acked.Store(body, true)
					if nAcked.Add(1) == burst/2 {
						killOnce.Do(func() { close(killed) })
					}
				}
			}
		}()
	}
	<-killed
	serverA := servers[a]
	if err := serverA.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	rows, err := st.Pool().Query(ctx, `SELECT body FROM corrections WHERE article_id = $1`, art.ID)
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]bool{}
	for rows.Next() {
		var s string
		rows.Scan(&s)
		stored[s] = true
	}
	rows.Close()
	missing := 0
	acked.Range(func(k, _ any) bool {
		if !stored[k.(string)] {
			missing++
			t.Errorf("acknowledged but not stored: %q", k)
		}
		return true
	})
	t.Logf("burst: %d acknowledged before and around SIGKILL, %d stored (unacknowledged writes may be stored too), %d missing", nAcked.Load(), len(stored)-1, missing)
	if nAcked.Load() >= burst {
		t.Errorf("all %d writes were acknowledged: the kill came too late to test anything", burst)
	}
	// B still serves, from the same database.
	if !strings.Contains(get(b+path), "Burst correction number") {
		t.Error("the second server does not show the burst's corrections")
	}
}

// servers maps a base URL to its process (for the kill).
var servers = map[string]*exec.Cmd{}
var serversMu sync.Mutex

// startServer starts `byline serve` on a free port and returns its base URL.
func startServer(t *testing.T, bin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--log-level", "warn"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("server log:\n%s", stderr.String())
		}
	})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			if i := strings.Index(line, "http://"); i >= 0 && strings.Contains(line, "serving") {
				u := line[i:]
				u = u[:strings.Index(u, "/ ")]
				found <- u
			}
		}
	}()
	select {
	case u := <-found:
		serversMu.Lock()
		servers[u] = cmd
		serversMu.Unlock()
		return u
	case <-time.After(60 * time.Second):
		t.Fatalf("server did not start:\n%s", stderr.String())
	}
	return ""
}

// pgPaper is the demo paper on a fresh PostgreSQL database, a byline
// binary built from this tree, and an editor's Admin API token.
type pgPaper struct{ db, dbArg, bin, token string }

// demoPaperOnPostgres prepares a pgPaper the way an operator would: the
// CLI loads the demo, adds an editor and creates the token.
func demoPaperOnPostgres(t *testing.T, prefix string) pgPaper {
	t.Helper()
	p := pgPaper{db: freshDatabase(t, prefix), bin: filepath.Join(t.TempDir(), "byline")}
	p.dbArg = "--database=" + p.db
	if out, err := exec.Command("go", "build", "-o", p.bin, "byline/cmd/byline").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	if r := run(t, nil, "demo", p.dbArg, "--data", t.TempDir()); r.code != 0 {
		t.Fatalf("demo: %s", r.stderr)
	}
	if r := runIn(t, "correct horse\n", "user", "add", p.dbArg, "--data", t.TempDir(), "--email", "ed@example.com", "--name", "Ed", "--role", "editor"); r.code != 0 {
		t.Fatalf("user add: %s", r.stderr)
	}
	r := runIn(t, "", "token", "create", p.dbArg, "--data", t.TempDir(), "--email", "ed@example.com", "--name", prefix+" test")
	if r.code != 0 {
		t.Fatalf("token create: %s", r.stderr)
	}
	p.token = strings.TrimSpace(r.stdout)
	return p
}
