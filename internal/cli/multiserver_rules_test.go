package cli_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"byline/internal/news"
	"byline/internal/store/pgstore"
)

// TestRulesAcrossServers: two `byline serve` processes on one PostgreSQL
// database. An editor works on the first: writes a moderation rule,
// re-tags an article, saves a new version of the rule, retires it. The
// comment posted on the second server right after each answer (no wait,
// no retry) is judged by the rules and metadata as they now are: 0
// requests of lag, whether or not the NOTIFY has arrived.
//
//	eval "$(scripts/pg-test.sh)"; go test ./internal/cli/ -run TestRulesAcrossServers
func TestRulesAcrossServers(t *testing.T) {
	p := demoPaperOnPostgres(t, "rules")
	ctx := context.Background()
	st, err := pgstore.Open(ctx, p.db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rd := news.Reader{Provider: "dev", Subject: "rules-reader", Name: "Rules Reader", CreatedAt: time.Now().Add(-48 * time.Hour)}
	if err := st.UpsertReader(ctx, &rd); err != nil {
		t.Fatal(err)
	}
	cookie := "rules-across-servers-session"
	sum := sha256.Sum256([]byte(cookie))
	if err := st.CreateReaderSession(ctx, hex.EncodeToString(sum[:]), rd.ID, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	a := startServer(t, p.bin, p.dbArg)
	b := startServer(t, p.bin, p.dbArg)
	client := &http.Client{Timeout: 10 * time.Second}

	// An article published through a's Admin API.
	apiCall := func(method, path string, body any, out any) {
		t.Helper()
		raw, _ := json.Marshal(body)
		req, _ := http.NewRequest(method, a+path, bytes.NewReader(raw))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+p.token)
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
	var art struct {
		ID int64 `json:"id"`
	}
	apiCall("POST", "/api/v1/admin/articles", map[string]any{"headline": "Harbour board meets in private", "dek": "Rules",
		"body": "The board met.", "section": "national/politics", "authors": []any{1}, "tags": []string{"Harbour"}}, &art)
	apiCall("POST", fmt.Sprintf("/api/v1/admin/articles/%d/publish", art.ID), nil, nil)

	// The reader comments on b.
	n := 0
	comment := func() (int, string, string) {
		t.Helper()
		n++
		body := fmt.Sprintf(`{"body":"Comment number %d, written on the second server"}`, n)
		req, _ := http.NewRequest("POST", b+fmt.Sprintf("/api/v1/articles/%d/comments", art.ID), strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.AddCookie(&http.Cookie{Name: "byline_reader", Value: cookie})
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		data, _ := io.ReadAll(res.Body)
		var v struct {
			Status string `json:"status"`
			Clause string `json:"clause"`
		}
		json.Unmarshal(data, &v)
		if res.StatusCode != http.StatusCreated {
			return res.StatusCode, "", string(data)
		}
		return res.StatusCode, v.Status, v.Clause
	}
	if code, status, _ := comment(); code != http.StatusCreated || status != "approved" {
		t.Fatalf("before any change: %d %s, want 201 approved", code, status)
	}

	// The editor on a.
	jar, _ := cookiejar.New(nil)
	ed := &http.Client{Jar: jar, Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	csrf := ""
	post := func(path string, form url.Values) int {
		t.Helper()
		if csrf != "" {
			form.Set("csrf", csrf)
		}
		req, _ := http.NewRequest(http.MethodPost, a+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", a)
		res, err := ed.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if code := post("/admin/login", url.Values{"email": {"ed@example.com"}, "password": {"correct horse"}}); code != http.StatusSeeOther {
		t.Fatalf("login: status %d", code)
	}
	page, err := ed.Get(a + "/admin/comments/rules")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(page.Body)
	page.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	csrf = doc.Find("input[name=csrf]").First().AttrOr("value", "")

	// 1. A rule for a tag no article carries yet (written with the
	// spacing an editor might type).
	rule := url.Values{"name": {"Harbour watch"}, "tags": {"Harbour  Watch"}, "action": {"premoderate"}, "clause": {"4"},
		"message": {"Comments on the harbour inquiry are read before they appear."}}
	if code := post("/admin/comments/rules", rule); code != http.StatusSeeOther {
		t.Fatalf("create the rule on the first server: %d", code)
	}
	var id int64
	rules, err := st.ModRules(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rules {
		if r.Name == "Harbour watch" {
			id = r.ID
		}
	}
	if id == 0 {
		t.Fatalf("the rule is not stored: %+v", rules)
	}
	if code, status, _ := comment(); code != http.StatusCreated || status != "approved" {
		t.Fatalf("the article not tagged yet: %d %s, want approved", code, status)
	}

	// 2. Re-tagged on a: the next comment on b is held under clause 4.
	apiCall("PATCH", fmt.Sprintf("/api/v1/admin/articles/%d", art.ID), map[string]any{"tags": []string{"Harbour", "harbour watch"}}, nil)
	if code, status, clause := comment(); code != http.StatusCreated || status != "pending" || clause != "4" {
		t.Fatalf("right after the re-tag on the first server: %d %s clause %q, want 201 pending under clause 4", code, status, clause)
	}

	// 3. A new version of the rule on a (closed): b refuses the next
	// comment with the new message.
	v2 := url.Values{"name": {"Harbour watch"}, "tags": {"harbour watch"}, "action": {"closed"}, "clause": {"4"},
		"message": {"Comments are closed while the inquiry sits."}, "version": {"1"}, "note": {"close instead"}}
	if code := post(fmt.Sprintf("/admin/comments/rules/%d/save", id), v2); code != http.StatusSeeOther {
		t.Fatalf("save version 2 on the first server: %d", code)
	}
	if code, _, body := comment(); code != http.StatusForbidden || !strings.Contains(body, "closed while the inquiry sits") {
		t.Fatalf("right after version 2 on the first server: %d %s, want 403 with the new message", code, body)
	}

	// 4. Retired on a: b takes comments again at once.
	if code := post(fmt.Sprintf("/admin/comments/rules/%d/retire", id), url.Values{}); code != http.StatusSeeOther {
		t.Fatalf("retire on the first server: %d", code)
	}
	if code, status, _ := comment(); code != http.StatusCreated || status != "approved" {
		t.Fatalf("right after the retirement on the first server: %d %s, want 201 approved", code, status)
	}
}
