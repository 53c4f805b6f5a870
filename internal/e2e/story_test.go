package e2e

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"byline/internal/demo"
	"byline/internal/e2e/browser"
	"byline/internal/news"
	"byline/internal/testutil"
)

// liveWait is the brief's promise: a new entry shows on open pages within
// 5 seconds (the fallback polls every 5 s, so it gets a little more).
const liveWait = 5 * time.Second

// waitInPage polls the page (in the page) until js is true or the time is
// up.
func waitInPage(t *testing.T, ctx context.Context, what, js string, within time.Duration) {
	t.Helper()
	run(t, ctx, what, chromedp.Evaluate[bool](`new Promise((resolve, reject) => {
		const deadline = Date.now() + `+itoa(within.Milliseconds())+`;
		(function poll() {
			if (`+js+`) return resolve(true);
			if (Date.now() > deadline) return reject(new Error("not within the time"));
			setTimeout(poll, 50);
		})();
	})`, chromedp.EvalAwaitPromise))
}

func itoa(n int64) string {
	b := []byte{}
	if n == 0 {
		return "0"
	}
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// addEntry writes an update to the demo story as the newsroom does: the
// store, then Notify.
func addEntry(t *testing.T, app *testutil.App, st news.Story, text string) news.StoryEntry {
	t.Helper()
	e := news.StoryEntry{StoryID: st.ID, Text: text}
	if err := app.Store.AddStoryEntry(context.Background(), &e); err != nil {
		t.Fatal(err)
	}
	app.Notify(news.Change{Kind: news.ChangeStory, StoryID: st.ID})
	return e
}

// TestStoryLiveInBrowser: the live story page and a member article's box
// show new entries without a reload, by the stream and, where
// EventSource is missing, by polling; the page passes axe.
func TestStoryLiveInBrowser(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithDemo())
	st, err := app.Store.StoryBySlug(context.Background(), demo.DemoStorySlug)
	if err != nil {
		t.Fatal(err)
	}
	ctx := browser.New(t)
	shots := browser.ScreenshotDir(t)

	browser.Navigate(t, ctx, app.URL+st.URL())
	if n := run(t, ctx, "entries", chromedp.Evaluate[int](`document.querySelectorAll("ol.rs-entries > li").length`)); n != 6 {
		t.Errorf("the demo story page shows %d entries, want 6", n)
	}
	browser.Axe(t, ctx)
	// Let the stream connect, then write.
	waitInPage(t, ctx, "stream", `document.querySelector("[data-story-live]").getAttribute("data-live-state") === "open"`, 10*time.Second)
	e := addEntry(t, app, st, "Seoul summons the North's envoy.")
	waitInPage(t, ctx, "new entry on the story page", `!!document.getElementById("`+e.Anchor()+`") && document.querySelector("ol.rs-entries > li").id === "`+e.Anchor()+`"`, liveWait)
	if s := run(t, ctx, "status", chromedp.Text(chromedp.CSS(".rs-live-status"))); s != "1 new entry since you opened this page." {
		t.Errorf("live status = %q", s)
	}
	// An edit (pinned now) replaces the entry in place; a removal takes it
	// away, from the list and the key events alike.
	e.Text, e.Pinned = "Seoul summons the North's envoy a second time.", true
	changeEntry(t, app, st, &e, false)
	waitInPage(t, ctx, "edited entry", `(function () {
		const li = document.getElementById("`+e.Anchor()+`");
		return !!li && li.textContent.includes("a second time") && li.classList.contains("rs-pinned") &&
			document.querySelectorAll("#`+e.Anchor()+`").length === 1;
	})()`, liveWait)
	gone := run(t, ctx, "an entry to remove", chromedp.Evaluate[string](`document.querySelector("ol.rs-entries > li:nth-child(2)").id`))
	var victim news.StoryEntry
	if _, err := fmt.Sscanf(gone, "entry-%d", &victim.ID); err != nil {
		t.Fatalf("entry id %q: %v", gone, err)
	}
	victim.StoryID = st.ID
	changeEntry(t, app, st, &victim, true)
	waitInPage(t, ctx, "removed entry", `!document.getElementById("`+gone+`") && !document.querySelector('[data-entry="`+strconv.FormatInt(victim.ID, 10)+`"]')`, liveWait)
	browser.Screenshot(t, ctx, shots, "story-live")
	browser.Axe(t, ctx)

	// The member article's box.
	a := app.DemoArticle(t, "north-korea-fires-missiles")
	browser.Navigate(t, ctx, app.URL+a.URL())
	waitInPage(t, ctx, "stream", `document.querySelector("[data-story-live]").getAttribute("data-live-state") === "open"`, 10*time.Second)
	addEntry(t, app, st, "Tokyo lodges a protest through Beijing.")
	waitInPage(t, ctx, "new entry in the box", `document.querySelector(".rs-box-list > li").textContent.includes("Tokyo lodges a protest")`, liveWait)
	browser.Axe(t, ctx)

	// Without EventSource the page polls.
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `delete window.EventSource;`}); err != nil {
		t.Fatal(err)
	}
	browser.Navigate(t, ctx, app.URL+st.URL())
	if has := run(t, ctx, "EventSource", chromedp.Evaluate[bool](`"EventSource" in window`)); has {
		t.Fatal("EventSource still present")
	}
	e = addEntry(t, app, st, "Polling reaches this one.")
	waitInPage(t, ctx, "entry by polling", `!!document.getElementById("`+e.Anchor()+`")`, liveWait+3*time.Second)
	e.Text = "Polling reaches this edit too."
	changeEntry(t, app, st, &e, false)
	waitInPage(t, ctx, "edit by polling", `document.getElementById("`+e.Anchor()+`").textContent.includes("this edit too")`, liveWait+3*time.Second)
	changeEntry(t, app, st, &e, true)
	waitInPage(t, ctx, "removal by polling", `!document.getElementById("`+e.Anchor()+`")`, liveWait+3*time.Second)
}

// changeEntry edits (or removes) an entry as the newsroom does: the store,
// then Notify.
func changeEntry(t *testing.T, app *testutil.App, st news.Story, e *news.StoryEntry, remove bool) {
	t.Helper()
	var err error
	if remove {
		err = app.Store.DeleteStoryEntry(context.Background(), st.ID, e.ID)
	} else {
		err = app.Store.UpdateStoryEntry(context.Background(), e)
	}
	if err != nil {
		t.Fatal(err)
	}
	app.Notify(news.Change{Kind: news.ChangeStory, StoryID: st.ID})
}

// TestStoryPinsInBrowser: a pinned entry is read once, in full, at the
// top of the story page (its place in the chronology is a line leading up
// to it, and it leaves the key events); on an open page the last unpin
// hides the "Pinned" list and the first pin brings it back, by the stream
// and by polling.
func TestStoryPinsInBrowser(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithDemo())
	ctx := context.Background()
	st, err := app.Store.StoryBySlug(ctx, demo.DemoStorySlug)
	if err != nil {
		t.Fatal(err)
	}
	pins, err := app.Store.StoryEntries(ctx, news.EntryQuery{StoryID: st.ID, Pinned: true})
	if err != nil || len(pins) != 1 {
		t.Fatalf("the demo story's pinned entries: %d, %v; want 1", len(pins), err)
	}
	pin := pins[0]
	bctx := browser.New(t)
	shots := browser.ScreenshotDir(t)
	browser.Navigate(t, bctx, app.URL+st.URL())
	// What a reader sees: the pinned entry in full once, in the list at
	// the top, before the key events; in the chronology one line naming
	// it, marked as pinned above.
	const said = "a clear violation"
	if n := run(t, bctx, "copies", chromedp.Evaluate[int](`Array.from(document.querySelectorAll("main .rs-entry > p:not(.rs-meta):not(.rs-pin-ref)")).filter(p => p.innerText.includes("`+said+`")).length`)); n != 1 {
		t.Errorf("the pinned entry is on the page in full %d times, want once", n)
	}
	if ref := run(t, bctx, "chronology line", chromedp.Evaluate[string](`document.querySelector("ol.rs-entries > li#`+pin.Anchor()+`").innerText`)); !strings.Contains(ref, "pinned at the top") {
		t.Errorf("the pinned entry's place in the chronology reads %q; want it marked as pinned at the top", ref)
	}
	if got := run(t, bctx, "order", chromedp.Evaluate[string](`Array.from(document.querySelectorAll("main h2")).map(h => h.textContent).join(", ")`)); !strings.HasPrefix(got, "What we know, Pinned, Key events, Latest") {
		t.Errorf("sections read %q, want What we know, Pinned, Key events, Latest", got)
	}
	if in := run(t, bctx, "pinned list", chromedp.Evaluate[string](`document.querySelector(".rs-pinned-list li").innerText`)); !strings.Contains(in, said) {
		t.Errorf("the pinned list reads %q", in)
	}
	if run(t, bctx, "in key events", chromedp.Evaluate[bool](`!!document.querySelector('.rs-keys [data-entry="`+strconv.FormatInt(pin.ID, 10)+`"]')`)) {
		t.Error("the pinned key event is in the key events list too")
	}
	// Its place in the chronology leads to it.
	click := `document.querySelector("ol.rs-entries > li#` + pin.Anchor() + ` .rs-pin-ref a").click()`
	run(t, bctx, "follow the chronology's line", chromedp.Evaluate[any](click))
	if loc := run(t, bctx, "location", chromedp.Location()); !strings.HasSuffix(loc, "#pin-"+pin.Anchor()) {
		t.Errorf("the chronology's line leads to %s, want #pin-%s", loc, pin.Anchor())
	}
	browser.Screenshot(t, bctx, shots, "story-pinned")
	browser.Axe(t, bctx)

	pinned := func(id int64, on bool) {
		t.Helper()
		es, err := app.Store.StoryEntries(ctx, news.EntryQuery{StoryID: st.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			if e.ID == id {
				e.Pinned = on
				changeEntry(t, app, st, &e, false)
				return
			}
		}
		t.Fatalf("no entry %d", id)
	}
	hidden := `document.querySelector(".rs-pinned-list").hidden && !document.querySelector(".rs-pinned-list li")`
	shown := func(id int64) string {
		return `(function () {
			const sec = document.querySelector(".rs-pinned-list"), li = sec.querySelector('li[data-entry="` + strconv.FormatInt(id, 10) + `"]');
			return !sec.hidden && sec.querySelectorAll("li").length === 1 && !!li && li.querySelector(".rs-meta").textContent.includes("Pinned") &&
				document.querySelector('ol.rs-entries > li[data-entry="` + strconv.FormatInt(id, 10) + `"]').classList.contains("rs-pin-mark");
		})()`
	}
	newest := run(t, bctx, "newest entry", chromedp.Evaluate[string](`document.querySelector("ol.rs-entries > li").getAttribute("data-entry")`))
	other, _ := strconv.ParseInt(newest, 10, 64)
	if other == pin.ID {
		t.Fatal("the newest entry is the pinned one; want another")
	}

	// By the stream.
	waitInPage(t, bctx, "stream", `document.querySelector("[data-story-live]").getAttribute("data-live-state") === "open"`, 10*time.Second)
	pinned(pin.ID, false)
	waitInPage(t, bctx, "last unpin", hidden+` && !document.querySelector("ol.rs-entries > li#`+pin.Anchor()+`").classList.contains("rs-pin-mark") &&
		document.querySelector("ol.rs-entries > li#`+pin.Anchor()+`").textContent.includes("`+said+`")`, liveWait)
	browser.Axe(t, bctx)
	pinned(other, true)
	waitInPage(t, bctx, "first pin", shown(other), liveWait)
	browser.Screenshot(t, bctx, shots, "story-first-pin")
	browser.Axe(t, bctx)

	// By polling, where EventSource is missing.
	if _, err := chromedp.Call(bctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `delete window.EventSource;`}); err != nil {
		t.Fatal(err)
	}
	browser.Navigate(t, bctx, app.URL+st.URL())
	waitInPage(t, bctx, "polling", `document.querySelector("[data-story-live]").getAttribute("data-live-state") === "polling"`, 5*time.Second)
	pinned(other, false)
	waitInPage(t, bctx, "last unpin by polling", hidden, liveWait+3*time.Second)
	pinned(pin.ID, true)
	waitInPage(t, bctx, "first pin by polling", shown(pin.ID), liveWait+3*time.Second)
}

// campaignMember is the address of a member article of the demo's
// campaign story (a monitor column), the newest.
func campaignMember(t *testing.T, app *testutil.App) string {
	t.Helper()
	ctx := context.Background()
	st, err := app.Store.StoryBySlug(ctx, demo.CampaignStorySlug)
	if err != nil {
		t.Fatal(err)
	}
	es, err := app.Store.StoryEntries(ctx, news.EntryQuery{StoryID: st.ID, Now: time.Now(), Newest: true, Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if e.Article != nil {
			return e.Article.URL()
		}
	}
	t.Fatal("the campaign story has no article")
	return ""
}
