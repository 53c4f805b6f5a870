package cli_test

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/chromedp"

	"byline/internal/demo"
	"byline/internal/e2e/browser"
	"byline/internal/store/pgstore"
)

// TestLiveStoryAcrossServers: two servers on one PostgreSQL database. A
// reader's live stream and cached story page are on the second server;
// an editor adds an entry on the first. The stream says "entry" and the
// page shows it within a second of the first server's answer (LISTEN/
// NOTIFY carries the change); then a reader's browser on the second
// server shows the next entry without a reload. Needs BYLINE_TEST_POSTGRES
// and Chromium.
func TestLiveStoryAcrossServers(t *testing.T) {
	p := demoPaperOnPostgres(t, "live")
	st, err := pgstore.Open(context.Background(), p.db)
	if err != nil {
		t.Fatal(err)
	}
	story, err := st.StoryBySlug(context.Background(), demo.DemoStorySlug)
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	a := startServer(t, p.bin, p.dbArg)
	b := startServer(t, p.bin, p.dbArg)

	// The reader on b: the page (now cached) and the stream.
	get := func(u string) string {
		t.Helper()
		res, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		data, _ := io.ReadAll(res.Body)
		return string(data)
	}
	get(b + story.URL())
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, b+story.URL()+"/live", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	for l := range lines {
		if l == ": connected" {
			break
		}
	}

	// The editor on a.
	jar, _ := cookiejar.New(nil)
	ed := &http.Client{Jar: jar, Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(path string, form url.Values) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, a+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", a)
		res, err := ed.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	if res := post("/admin/login", url.Values{"email": {"ed@example.com"}, "password": {"correct horse"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: status %d", res.StatusCode)
	}
	page, err := ed.Get(a + "/admin/stories/" + strconv.FormatInt(story.ID, 10))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(page.Body)
	page.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	csrf := doc.Find("input[name=csrf]").First().AttrOr("value", "")
	const text = "Across the servers: the envoy is summoned."
	res = post("/admin/stories/"+strconv.FormatInt(story.ID, 10)+"/entries", url.Values{"csrf": {csrf}, "text": {text}})
	acked := time.Now()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add entry on the first server: status %d", res.StatusCode)
	}
	// b's stream.
	deadline := time.After(5 * time.Second)
wait:
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("the second server's stream ended")
			}
			if l == "event: entry" {
				t.Logf("the second server's stream said entry %s after the first acknowledged it", time.Since(acked).Round(time.Millisecond))
				break wait
			}
		case <-deadline:
			t.Fatal("the second server's stream said nothing within 5 s")
		}
	}
	// b's cached page was dropped.
	for !strings.Contains(get(b+story.URL()), text) {
		if time.Since(acked) > time.Second {
			t.Fatal("the second server's story page does not show the entry within 1 s")
		}
		time.Sleep(20 * time.Millisecond)
	}

	// A reader's browser on b sees the next entry made on a without a
	// reload, within 5 s.
	bctx := browser.New(t)
	browser.Navigate(t, bctx, b+story.URL())
	inPage := func(what, js string, within time.Duration) {
		t.Helper()
		_, err := chromedp.Run(bctx, chromedp.Evaluate[bool](`new Promise((resolve, reject) => {
			const deadline = Date.now() + `+strconv.FormatInt(within.Milliseconds(), 10)+`;
			(function poll() {
				if (`+js+`) return resolve(true);
				if (Date.now() > deadline) return reject(new Error("not in time"));
				setTimeout(poll, 50);
			})();
		})`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	inPage("stream open", `document.querySelector("[data-story-live]").getAttribute("data-live-state") === "open"`, 10*time.Second)
	const second = "Second across the servers: talks are set for Monday."
	if res := post("/admin/stories/"+strconv.FormatInt(story.ID, 10)+"/entries", url.Values{"csrf": {csrf}, "text": {second}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("second entry: status %d", res.StatusCode)
	}
	inPage("entry in the browser on the second server", `document.querySelector("ol.rs-entries > li").textContent.includes("talks are set for Monday")`, 5*time.Second)

	// Edits, pins and removals made on a reach the open page on b too.
	ids, err := chromedp.Run(bctx, chromedp.Evaluate[[]int64](`Array.from(document.querySelectorAll("ol.rs-entries > li")).slice(0, 2).map(li => +li.getAttribute("data-entry"))`))
	if err != nil || len(ids) != 2 {
		t.Fatalf("entry ids on the page: %v %v", ids, err)
	}
	entry := func(id int64) string {
		return "/admin/stories/" + strconv.FormatInt(story.ID, 10) + "/entries/" + strconv.FormatInt(id, 10)
	}
	edit := url.Values{"csrf": {csrf}, "kind": {"update"}, "text": {"Edited across the servers: talks move to Tuesday."},
		"event_at": {time.Now().Format("2006-01-02T15:04")}, "pinned": {"1"}}
	if res := post(entry(ids[0]), edit); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit entry on the first server: status %d", res.StatusCode)
	}
	inPage("edit in the browser on the second server", `(function () {
		const li = document.querySelector('ol.rs-entries > li[data-entry="`+strconv.FormatInt(ids[0], 10)+`"]');
		return !!li && li.textContent.includes("talks move to Tuesday") && li.classList.contains("rs-pinned");
	})()`, 5*time.Second)
	if res := post(entry(ids[1])+"/delete", url.Values{"csrf": {csrf}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove entry on the first server: status %d", res.StatusCode)
	}
	inPage("removal in the browser on the second server", `!document.querySelector('[data-entry="`+strconv.FormatInt(ids[1], 10)+`"]')`, 5*time.Second)

	// The last unpin made on a takes the "Pinned" list off the open page
	// on b; the first pin brings it back, with the entry in full.
	setPin := func(id int64, pinned bool) {
		t.Helper()
		page, err := ed.Get(a + entry(id))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := goquery.NewDocumentFromReader(page.Body)
		page.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		form := url.Values{"csrf": {csrf}}
		doc.Find("#entry-form input[name], #entry-form textarea[name]").Each(func(_ int, s *goquery.Selection) {
			if name := s.AttrOr("name", ""); name != "pinned" && name != "csrf" {
				form.Set(name, s.AttrOr("value", s.Text()))
			}
		})
		form.Set("kind", doc.Find("#en-kind option[selected]").AttrOr("value", ""))
		if pinned {
			form.Set("pinned", "1")
		}
		if res := post(entry(id), form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("pin %v entry %d on the first server: status %d", pinned, id, res.StatusCode)
		}
	}
	pins, err := chromedp.Run(bctx, chromedp.Evaluate[[]int64](`Array.from(document.querySelectorAll(".rs-pinned-list li")).map(li => +li.getAttribute("data-entry"))`))
	if err != nil || len(pins) == 0 {
		t.Fatalf("pinned entries on the page: %v %v", pins, err)
	}
	for _, id := range pins {
		setPin(id, false)
	}
	inPage("last unpin in the browser on the second server", `document.querySelector(".rs-pinned-list").hidden && !document.querySelector(".rs-pinned-list li")`, 5*time.Second)
	setPin(pins[0], true)
	inPage("first pin in the browser on the second server", `(function () {
		const sec = document.querySelector(".rs-pinned-list");
		return !sec.hidden && sec.querySelectorAll('li[data-entry="`+strconv.FormatInt(pins[0], 10)+`"]').length === 1;
	})()`, 5*time.Second)
}
