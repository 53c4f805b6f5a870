package cli_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"byline/internal/news"
	"byline/internal/store/pgstore"
	"byline/internal/testutil"
)

// PostgreSQL stops while the site serves: cached pages keep being served,
// everything that needs the database answers 503 with Retry-After (JSON
// under /api, the site's layout for pages), a signed-in reader is not
// told to log in, /readyz says 503; when the database is back, so is the
// site, without a restart.
func TestPostgresStopsAndStarts(t *testing.T) {
	pg := testutil.StartPostgres(t)
	ctx := context.Background()
	base := serveInProcess(t, []string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--log-level", "warn", "--database", pg.URL, "--demo"}).url.String()

	// A signed-in reader, as the sign-in flow would leave one.
	st, err := pgstore.Open(ctx, pg.URL)
	if err != nil {
		t.Fatal(err)
	}
	rd := news.Reader{Provider: "dev", Subject: "outage", Name: "Olive Outage"}
	if err := st.UpsertReader(ctx, &rd); err != nil {
		t.Fatal(err)
	}
	cookie := "outage-test-session-token"
	sum := sha256.Sum256([]byte(cookie))
	if err := st.CreateReaderSession(ctx, hex.EncodeToString(sum[:]), rd.ID, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	st.Close()

	client := &http.Client{Timeout: 20 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	do := func(method, path, body string) (*http.Response, []byte) {
		t.Helper()
		req, err := http.NewRequest(method, base+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.AddCookie(&http.Cookie{Name: "byline_reader", Value: cookie})
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		defer res.Body.Close()
		data, _ := io.ReadAll(res.Body)
		return res, data
	}

	// Before: the home page (now cached) and an article to comment on.
	res, home := do("GET", "/", "")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET / = %d before the outage", res.StatusCode)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(home)))
	if err != nil {
		t.Fatal(err)
	}
	var articles []string
	doc.Find(`a[href^="/article/"]`).Each(func(_ int, s *goquery.Selection) {
		if h, _ := s.Attr("href"); len(articles) < 2 && (len(articles) == 0 || articles[0] != h) {
			articles = append(articles, h)
		}
	})
	if len(articles) < 2 {
		t.Fatalf("home page links %d articles, want 2", len(articles))
	}
	id, err := strconv.ParseInt(strings.Split(articles[0], "/")[2], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	res, _ = do("GET", "/api/v1/me", "")
	var me struct {
		Reader *struct{ Name string } `json:"reader"`
	}
	_, meBody := do("GET", "/api/v1/me", "")
	json.Unmarshal(meBody, &me)
	if res.StatusCode != http.StatusOK || me.Reader == nil {
		t.Fatalf("GET /api/v1/me before the outage = %d %s, want the signed-in reader", res.StatusCode, meBody)
	}

	pg.Stop(t)

	// Cached: served as it was.
	if res, body := do("GET", "/", ""); res.StatusCode != http.StatusOK || string(body) != string(home) {
		t.Errorf("GET / (cached) while the database is down = %d, want the cached page", res.StatusCode)
	}
	// An uncached page: 503 in the site's layout.
	res, body := do("GET", articles[1], "")
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
		t.Errorf("GET %s (uncached) while down = %d Retry-After %q, want 503 with Retry-After", articles[1], res.StatusCode, res.Header.Get("Retry-After"))
	}
	page, _ := goquery.NewDocumentFromReader(strings.NewReader(string(body)))
	if got := strings.TrimSpace(page.Find("h1").First().Text()); !strings.Contains(strings.ToLower(got), "unavailable") {
		t.Errorf("503 page heading = %q, want it to say the site is briefly unavailable", got)
	}
	if page.Find(`link[rel="stylesheet"]`).Length() == 0 || page.Find("header").Length() == 0 {
		t.Errorf("503 page is not in the site's layout:\n%.400s", body)
	}
	// APIs: JSON 503.
	for _, c := range []struct{ method, path, body string }{
		{"GET", "/api/v1/articles/" + strconv.FormatInt(id, 10) + "/comments", ""},
		{"POST", "/api/v1/articles/" + strconv.FormatInt(id, 10) + "/comments", `{"body":"Still here while the database restarts."}`},
		{"GET", "/api/v1/me", ""},
	} {
		res, body := do(c.method, c.path, c.body)
		var e struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		json.Unmarshal(body, &e)
		if res.StatusCode != http.StatusServiceUnavailable || e.Error.Code != "unavailable" || res.Header.Get("Retry-After") == "" {
			t.Errorf("%s %s while down = %d %s (Retry-After %q), want 503 JSON with code unavailable and Retry-After", c.method, c.path, res.StatusCode, body, res.Header.Get("Retry-After"))
		}
		if !strings.Contains(e.Error.Message, "briefly unavailable") {
			t.Errorf("%s %s message = %q, want it to say the site is briefly unavailable", c.method, c.path, e.Error.Message)
		}
	}
	if res, _ := do("GET", "/readyz", ""); res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz while down = %d, want 503", res.StatusCode)
	}

	pg.Start(t)

	// Back: ready again, the page renders, the reader is still signed in.
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, _ := do("GET", "/readyz", "")
		if res.StatusCode == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz = %d 30 s after the database came back", res.StatusCode)
		}
		time.Sleep(100 * time.Millisecond)
	}
	for {
		res, _ := do("GET", articles[1], "")
		res2, body := do("POST", "/api/v1/articles/"+strconv.FormatInt(id, 10)+"/comments", `{"body":"Back again after the restart."}`)
		if res.StatusCode == http.StatusOK && res2.StatusCode < 300 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the database came back: GET %s = %d, POST comment = %d %s", articles[1], res.StatusCode, res2.StatusCode, body)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
