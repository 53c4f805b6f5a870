package web_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"log/slog"
	"net/http"
	"net/http/httptest"
	netmail "net/mail"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"byline/internal/comments"
	"byline/internal/config"
	"byline/internal/demo"
	"byline/internal/mail/mailpit"
	"byline/internal/news"
	"byline/internal/server"
	"byline/internal/store/sqlitestore"
	"byline/internal/testutil"
)

// newAppClock is newApp with the server's clock in the test's hands.
func newAppClock(t *testing.T, now func() time.Time, args ...string) *testutil.App {
	t.Helper()
	ctx := context.Background()
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	dir := t.TempDir()
	cfg, err := config.Parse("serve", append([]string{"--data", dir, "--addr", "127.0.0.1:0", "--base-url", base, "--dev-login"}, args...),
		func(string) string { return "" }, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlitestore.Open(ctx, cfg.SQLitePath())
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.Load(ctx, st, demo.Options{MediaDir: cfg.MediaDir()}); err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(ctx, server.Deps{Config: cfg, Store: st, Now: now,
		Logger: slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelError}))})
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = srv.Handler()
	ts.Start()
	t.Cleanup(func() { ts.Close(); srv.Close(); st.Close() })
	return &testutil.App{URL: base, Config: cfg, Store: st, Server: srv, DataDir: dir, Now: now(),
		Client: &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// TestUnsubscribeLinkExpires: a notice's unsubscribe link (and its
// one-click POST, RFC 8058) works within comments.UnsubscribeTTL; after
// it, GET and POST answer 410 with a page that sends the reader to sign
// in and change the notices on the account page, changing nothing; a
// tampered link is 400, changing nothing.
func TestUnsubscribeLinkExpires(t *testing.T) {
	var clock atomic.Int64
	clock.Store(time.Now().UTC().Truncate(time.Second).UnixMilli())
	now := func() time.Time { return time.UnixMilli(clock.Load()).UTC() }
	advance := func(d time.Duration) { clock.Add(int64(d / time.Millisecond)) }
	mp := mailpit.Addresses(t) // never started: the notices stay in the outbox
	app := newAppClock(t, now, "--smtp-addr", mp.SMTP, "--smtp-from", "news@byline.example")
	ctx := context.Background()
	a := anyArticle(t, app)
	rd := newReader(t, app)
	rd.devLogin("Expiring Reader", a.URL())
	desk := signInStaff(t, app, "desk@example.com", news.RoleEditor)
	var rid int64
	rs, err := app.Store.ListReaders(ctx, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.Name == "Expiring Reader" {
			rid = r.ID
		}
	}
	if err := app.Store.SetNoticeEmail(ctx, rid, "expiring@example.com", false); err != nil {
		t.Fatal(err)
	}
	notice := func(body string) string {
		t.Helper()
		c, _, code := rd.post(a.ID, body, nil)
		if code != 201 {
			t.Fatalf("post: %d", code)
		}
		if res, _ := desk.send("POST", "/admin/comments/"+itoa(c.ID)+"/moderate", url.Values{"action": {"reject"}, "clause": {"2"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("reject: %d", res.StatusCode)
		}
		list, err := app.Store.ListMail(ctx, rid, 1)
		if err != nil || len(list) != 1 {
			t.Fatalf("outbox: %+v %v", list, err)
		}
		m, err := netmail.ReadMessage(bytes.NewReader(list[0].Message))
		if err != nil {
			t.Fatal(err)
		}
		h := m.Header.Get("List-Unsubscribe")
		if !strings.HasPrefix(h, "<"+app.URL+"/account/email/unsubscribe?t=") || m.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
			t.Fatalf("notice headers: List-Unsubscribe %q", h)
		}
		return strings.TrimPrefix(strings.Trim(h, "<>"), app.URL)
	}
	anon := newReader(t, app)
	get := func(path string) (int, *goquery.Document) {
		t.Helper()
		res, err := anon.c.Get(app.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		doc, err := goquery.NewDocumentFromReader(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		return res.StatusCode, doc
	}
	oneClick := func(path string) (int, *goquery.Document) {
		t.Helper()
		req, _ := http.NewRequest("POST", app.URL+path, strings.NewReader("List-Unsubscribe=One-Click"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		doc, _ := goquery.NewDocumentFromReader(res.Body)
		return res.StatusCode, doc
	}
	noticesOn := func() bool {
		t.Helper()
		r, err := app.Store.ReaderByID(ctx, rid)
		if err != nil {
			t.Fatal(err)
		}
		return r.NoticeEmail != "" && !r.NoticeOff
	}
	wantExpiredPage := func(what string, code int, doc *goquery.Document) {
		t.Helper()
		if code != http.StatusGone {
			t.Errorf("%s: %d, want 410", what, code)
		}
		if h := strings.TrimSpace(doc.Find("h1").Text()); h != "This link has expired" {
			t.Errorf("%s: heading %q", what, h)
		}
		if href, _ := doc.Find(`main a[href^="/account"]`).Attr("href"); href != "/account#notices" {
			t.Errorf("%s: no link to sign in and change the notices (got %q)", what, href)
		}
		if doc.Find("form.unsub-form").Length() != 0 {
			t.Errorf("%s: the expired page still offers to stop the notices", what)
		}
	}

	old := notice("A first view on the matter")
	// Within the 90 days: the question, then nothing changed.
	advance(comments.UnsubscribeTTL - time.Hour)
	if code, doc := get(old); code != 200 || doc.Find("form.unsub-form").Length() != 1 {
		t.Fatalf("unsubscribe link on day 89: %d, want 200 with the form", code)
	}
	if !noticesOn() {
		t.Fatal("opening the link stopped the notices")
	}
	// Tampered: the signature no longer matches (a character changed),
	// or the expiry in the payload pushed later without a new signature.
	u, _ := url.Parse(old)
	tok := u.Query().Get("t")
	payload, sig, _ := strings.Cut(tok, ".")
	flip := func(s string) string {
		b := []byte(s)
		if b[len(b)-1] == 'A' {
			b[len(b)-1] = 'B'
		} else {
			b[len(b)-1] = 'A'
		}
		return string(b)
	}
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	parts := strings.SplitN(string(raw), "|", 4)
	if err != nil || len(parts) != 4 || parts[0] != "unsub" {
		t.Fatalf("token payload %q (%v), want unsub|reader|expiry|", raw, err)
	}
	parts[2] = strconv.FormatInt(now().Add(10*365*24*time.Hour).Unix(), 10)
	later := base64.RawURLEncoding.EncodeToString([]byte(strings.Join(parts, "|")))
	for name, bad := range map[string]string{"signature": payload + "." + flip(sig), "expiry pushed later": later + "." + sig, "no signature": payload} {
		if code, _ := get("/account/email/unsubscribe?t=" + url.QueryEscape(bad)); code != http.StatusBadRequest {
			t.Errorf("GET with a tampered token (%s): %d, want 400", name, code)
		}
		if code, _ := oneClick("/account/email/unsubscribe?t=" + url.QueryEscape(bad)); code != http.StatusBadRequest {
			t.Errorf("one-click POST with a tampered token (%s): %d, want 400", name, code)
		}
	}
	if !noticesOn() {
		t.Fatal("a tampered link stopped the notices")
	}

	// Past the 90 days: 410 and the way to the account page; nothing changed.
	advance(2 * time.Hour)
	code, doc := get(old)
	wantExpiredPage("GET after 90 days", code, doc)
	code, doc = oneClick(old)
	wantExpiredPage("one-click POST after 90 days", code, doc)
	if !noticesOn() {
		t.Fatal("an expired link stopped the notices")
	}
	// Korean page for a Korean reader's browser.
	req, _ := http.NewRequest("GET", app.URL+old, nil)
	req.Header.Set("Accept-Language", "ko")
	if res, err := http.DefaultClient.Do(req); err == nil {
		doc, _ := goquery.NewDocumentFromReader(res.Body)
		res.Body.Close()
		if h := strings.TrimSpace(doc.Find("h1").Text()); res.StatusCode != http.StatusGone || h != "만료된 링크입니다" {
			t.Errorf("Korean expired page: %d %q", res.StatusCode, h)
		}
	}

	// A new notice's link works: one click stops the notices (the
	// sessions of 90 days ago are over: both sign in again).
	rd.devLogin("Expiring Reader", a.URL())
	desk = signInStaff(t, app, "desk2@example.com", news.RoleEditor)
	fresh := notice("A second view, some time later")
	if code, _ := oneClick(fresh); code != http.StatusOK {
		t.Fatalf("one-click POST of a fresh link: %d, want 200", code)
	}
	if noticesOn() {
		t.Error("the fresh link's one-click POST did not stop the notices")
	}
}
