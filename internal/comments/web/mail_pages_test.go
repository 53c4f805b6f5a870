package web_test

// The pages of e-mail notices and ban appeals are valid HTML (the Nu
// HTML Checker) and have no accessibility violations (axe-core, in
// Debian's chromium): My account of a banned reader with a notice
// address (the ban's reasons and appeal form, the notices section with
// its note), the unsubscribe question and answer, an expired unsubscribe
// link's page, the address confirmation, in English and Korean.
//
// Run: go test ./internal/comments/web -run MailPages (needs java and
// tools/node_modules for vnu.jar and axe-core, chromium, and mailpit:
// eval "$(scripts/test-mail.sh)").

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"byline/internal/e2e/browser"
	"byline/internal/mail/mailpit"
	"byline/internal/news"
)

func TestMailPagesValidAndAccessible(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	mp := mailpit.Start(t)
	app := newApp(t, nil, "--smtp-addr", mp.SMTP, "--smtp-from", "news@byline.example")
	ctx := context.Background()
	a := anyArticle(t, app)
	rd := newReader(t, app)
	rd.devLogin("Page Reader", a.URL())
	mod := signInStaff(t, app, "desk@example.com", news.RoleEditor)
	rs, _ := app.Store.ListReaders(ctx, 10, 0)
	var rid int64
	for _, r := range rs {
		if r.Name == "Page Reader" {
			rid = r.ID
		}
	}
	// A confirmation link, then a notice address and a ban (with its
	// notice and unsubscribe link).
	if res := rd.postForm("/account/email", url.Values{"action": {"set"}, "email": {"typed@example.com"}}); res.StatusCode != 200 {
		t.Fatalf("set address: %d", res.StatusCode)
	}
	confirm := confirmLink.FindString(mp.WaitFor(t, "typed@example.com", 30*time.Second).Text)
	if err := app.Store.SetNoticeEmail(ctx, rid, "pages@example.com", false); err != nil {
		t.Fatal(err)
	}
	if res, _ := mod.send("POST", "/admin/comments/readers/"+itoa(rid)+"/ban", url.Values{"kind": {"ban"}, "days": {"3"}, "clause": {"2"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("ban: %d", res.StatusCode)
	}
	unsub := unsubLink.FindString(waitSubject(t, mp, "pages@example.com", "may not comment", 60*time.Second).Text)
	if confirm == "" || unsub == "" {
		t.Fatalf("links: confirm %q, unsubscribe %q", confirm, unsub)
	}
	local := func(link string) string { u, _ := url.Parse(link); return u.RequestURI() }
	// An unsubscribe link past its 90 days (signed with the reader's key,
	// as a notice of long ago was): the page that sends them to sign in.
	key, err := app.Store.NoticeKey(ctx, rid, "unused")
	if err != nil {
		t.Fatal(err)
	}
	payload := "unsub|" + itoa(rid) + "|" + strconv.FormatInt(time.Now().Add(-24*time.Hour).Unix(), 10) + "|"
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write([]byte(payload))
	expired := "/account/email/unsubscribe?t=" + base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
	pages := []struct{ name, path string }{
		{"account-banned-notices", "/account?email=sent"},
		{"unsubscribe-ask", local(unsub)},
		{"confirm", local(confirm)},
		{"unsubscribe-expired", expired},
	}

	// Nu: the pages as the reader gets them, in English and Korean.
	dir := t.TempDir()
	var files []string
	for _, lang := range []string{"en", "ko"} {
		rd.c.Jar.SetCookies(mustURL(app.URL), []*http.Cookie{{Name: "byline_lang", Value: lang, Path: "/"}})
		for _, p := range pages {
			body := rd.get(p.path)
			if !bytes.Contains(body, []byte("<main")) {
				t.Fatalf("%s (%s): not a page: %.300s", p.name, lang, body)
			}
			f := filepath.Join(dir, p.name+"-"+lang+".html")
			os.WriteFile(f, body, 0o644)
			files = append(files, f)
		}
		res := rd.postForm(local(unsub), nil)
		var b bytes.Buffer
		b.ReadFrom(res.Body)
		res.Body.Close()
		f := filepath.Join(dir, "unsubscribe-done-"+lang+".html")
		os.WriteFile(f, b.Bytes(), 0o644)
		files = append(files, f)
		app.Store.SetNoticeEmail(ctx, rid, "pages@example.com", false)
	}
	acct := string(rd.get("/account"))
	for _, want := range []string{`id="ban"`, `name="ban" value="1"`, `id="notices"`, "pages@example.com"} {
		if !strings.Contains(acct, want) {
			t.Errorf("the account page lacks %s", want)
		}
	}
	browser.NuCheck(t, files)

	// axe-core in a real browser, signed in as the same reader.
	bctx := browser.New(t)
	browser.Navigate(t, bctx, app.URL+"/auth/dev/start?return=/account")
	c, cancel := context.WithTimeout(bctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(c, chromedp.SendKeys(chromedp.CSS(`#dev-name`), "Page Reader"), chromedp.Click(chromedp.CSS(`.dev-login-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#notices`))); err != nil {
		t.Fatalf("sign in in the browser: %v", err)
	}
	for _, p := range pages {
		if p.path == expired {
			// 410 Gone by design (browser.Navigate refuses any 4xx).
			if _, err := chromedp.Run(bctx, chromedp.Navigate(app.URL+p.path)); err != nil {
				t.Fatalf("open %s: %v", p.path, err)
			}
		} else {
			browser.Navigate(t, bctx, app.URL+p.path)
		}
		browser.Axe(t, bctx)
	}
}
