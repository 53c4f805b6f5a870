package site_test

// Running stories on the reader's side, through the real application:
// the story page, its filter, feed, JSON-LD, the member box, the live
// fragment and stream, cache purges, and refusals.

import (
	"bufio"
	"context"
	"encoding/json"
	"encoding/xml"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"byline/internal/news"
	"byline/internal/testutil"
)

type storyFixture struct {
	app            *testutil.App
	story          news.Story
	older, newer   news.Article
	key, latest    news.StoryEntry
	olderE, newerE news.StoryEntry
}

// newStoryFixture: a live story over two demo articles and three updates.
func newStoryFixture(t *testing.T) storyFixture {
	t.Helper()
	app := testutil.NewApp(t, testutil.WithDemo())
	ctx := context.Background()
	f := storyFixture{app: app}
	f.older = app.DemoArticle(t, politicsSlug)
	f.newer = app.DemoArticle(t, correctedSlug)
	f.story = news.Story{Title: "Housing and shipyards", Standfirst: "A test story.", Summary: "**What we know**: two things.", Live: true,
		SectionID: f.older.SectionID, Tags: []string{"housing"}}
	noErr(t, app.Store.CreateStory(ctx, &f.story, 0))
	now := time.Now().UTC()
	add := func(e news.StoryEntry) news.StoryEntry {
		t.Helper()
		e.StoryID = f.story.ID
		noErr(t, app.Store.AddStoryEntry(ctx, &e))
		return e
	}
	f.olderE = add(news.StoryEntry{ArticleID: f.older.ID, PublishedAt: now.Add(-4 * time.Hour), EventAt: now.Add(-4 * time.Hour)})
	f.key = add(news.StoryEntry{Kind: news.EntryKeyEvent, Text: "The committee **votes** the bill down.", PublishedAt: now.Add(-3 * time.Hour), EventAt: now.Add(-3 * time.Hour)})
	add(news.StoryEntry{Kind: news.EntryBackground, Text: "The bill was first tabled in spring.", PublishedAt: now.Add(-170 * time.Minute), EventAt: now.Add(-200 * 24 * time.Hour)})
	f.newerE = add(news.StoryEntry{ArticleID: f.newer.ID, PublishedAt: now.Add(-2 * time.Hour), EventAt: now.Add(-2 * time.Hour)})
	f.latest = add(news.StoryEntry{Text: "Ministers meet tonight.", PublishedAt: now.Add(-time.Hour), EventAt: now.Add(-time.Hour)})
	return f
}

func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

func jsonLDOf(t *testing.T, doc *goquery.Document, typ string) map[string]any {
	t.Helper()
	var found map[string]any
	doc.Find(`script[type="application/ld+json"]`).Each(func(_ int, s *goquery.Selection) {
		var v map[string]any
		if err := json.Unmarshal([]byte(s.Text()), &v); err != nil {
			t.Fatalf("JSON-LD does not parse: %v", err)
		}
		if v["@type"] == typ {
			found = v
		}
	})
	if found == nil {
		t.Fatalf("no %s JSON-LD on the page", typ)
	}
	return found
}

func TestStoryPage(t *testing.T) {
	t.Parallel()
	f := newStoryFixture(t)
	app, st := f.app, f.story

	res, doc := app.Get(t, st.URL())
	wantStatus(t, res, http.StatusOK)
	wantSitePage(t, st.URL(), doc)
	if got := strings.TrimSpace(doc.Find("h1#rs-title").Text()); got != st.Title {
		t.Errorf("h1 = %q, want %q", got, st.Title)
	}
	if doc.Find(".rs-summary strong").Text() != "What we know" {
		t.Errorf("summary not rendered from Markdown: %q", doc.Find(".rs-summary").Text())
	}
	// The chronology is by event time: the background entry (200 days
	// back) is last although it was published third.
	var got []string
	doc.Find("ol.rs-entries > li").Each(func(_ int, s *goquery.Selection) { got = append(got, s.AttrOr("id", "")) })
	want := []string{f.latest.Anchor(), f.newerE.Anchor(), f.key.Anchor(), f.olderE.Anchor()}
	if len(got) != 5 || strings.Join(got[:4], ",") != strings.Join(want, ",") {
		t.Errorf("chronology ids = %v, want %v then the background entry", got, want)
	}
	if href := doc.Find("#"+f.newerE.Anchor()+" h3 a").AttrOr("href", ""); href != f.newer.URL() {
		t.Errorf("article entry links to %q, want %q", href, f.newer.URL())
	}
	keys := doc.Find(".rs-keys li")
	if keys.Length() != 1 || !strings.Contains(keys.Text(), "The committee votes the bill down.") {
		t.Errorf("key events = %q", keys.Text())
	}
	if href := keys.Find("a").AttrOr("href", ""); href != st.URL()+"?kind=key#"+f.key.Anchor() {
		t.Errorf("key event link = %q", href)
	}
	if doc.Find(`link[rel="alternate"][type="application/atom+xml"]`).AttrOr("href", "") != st.FeedURL() {
		t.Error("no Atom link to the story's feed in the head")
	}
	// Live: the script, the stream and the cursor.
	live := doc.Find("[data-story-live]")
	if live.AttrOr("data-stream", "") != st.URL()+"/live" || live.AttrOr("data-since", "") != strconv.FormatInt(f.latest.PublishedAt.UnixMilli(), 10) {
		t.Errorf("live config stream=%q since=%q", live.AttrOr("data-stream", ""), live.AttrOr("data-since", ""))
	}
	if doc.Find(`script[src*="story-live"]`).Length() != 1 {
		t.Error("live story page does not load story-live.js")
	}
	lb := jsonLDOf(t, doc, "LiveBlogPosting")
	if lb["coverageStartTime"] == "" || lb["url"] != app.URL+st.URL() {
		t.Errorf("LiveBlogPosting = %v", lb)
	}
	ups, _ := lb["liveBlogUpdate"].([]any)
	if len(ups) != 5 {
		t.Fatalf("liveBlogUpdate has %d updates, want 5", len(ups))
	}
	if first := ups[0].(map[string]any); first["headline"] != "Ministers meet tonight." || first["@type"] != "BlogPosting" {
		t.Errorf("newest update = %v", first)
	}

	t.Run("filter by kind", func(t *testing.T) {
		res, doc := app.Get(t, st.URL()+"?kind=key")
		wantStatus(t, res, http.StatusOK)
		if n := doc.Find("ol.rs-entries > li").Length(); n != 1 {
			t.Errorf("?kind=key lists %d entries, want 1", n)
		}
		if doc.Find(`.rs-kinds a[aria-current="page"]`).Text() != "Key event" {
			t.Errorf("current filter = %q", doc.Find(`.rs-kinds a[aria-current="page"]`).Text())
		}
		if doc.Find("[data-story-live]").Length() != 0 || doc.Find(".rs-summary").Length() != 0 {
			t.Error("a filtered page shows the summary or goes live; want the plain list")
		}
		res, doc = app.Get(t, st.URL()+"?kind=correction")
		wantStatus(t, res, http.StatusOK)
		if doc.Find("p.empty").Length() != 1 {
			t.Error("an empty kind shows no 'no entries' line")
		}
	})

	t.Run("refusals", func(t *testing.T) {
		for path, code := range map[string]int{
			st.URL() + "?kind=rumour":            http.StatusBadRequest,
			st.URL() + "?page=x":                 http.StatusBadRequest,
			st.URL() + "?page=2":                 http.StatusNotFound,
			"/story/no-such-story":               http.StatusNotFound,
			"/story/Bad_Slug":                    http.StatusNotFound,
			"/story/no-such-story/feed":          http.StatusNotFound,
			st.URL() + "/updates":                http.StatusBadRequest,
			st.URL() + "/updates?since=-1":       http.StatusBadRequest,
			st.URL() + "/updates?since=1&view=x": http.StatusBadRequest,
			"/story/no-such-story/live":          http.StatusNotFound,
		} {
			res, _ := app.Get(t, path)
			if res.StatusCode != code {
				t.Errorf("GET %s: status %d, want %d", path, res.StatusCode, code)
			}
		}
	})

	t.Run("atom feed", func(t *testing.T) {
		res, body := app.Do(t, mustReq(t, st.FeedURL()))
		wantStatus(t, res, http.StatusOK)
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/atom+xml") {
			t.Errorf("Content-Type = %q", ct)
		}
		var feed struct {
			Title   string `xml:"title"`
			Entries []struct {
				ID    string `xml:"id"`
				Title string `xml:"title"`
				Link  struct {
					Href string `xml:"href,attr"`
				} `xml:"link"`
			} `xml:"entry"`
		}
		if err := xml.Unmarshal(body, &feed); err != nil {
			t.Fatalf("feed does not parse: %v", err)
		}
		if len(feed.Entries) != 5 || feed.Entries[0].Title != "Update: Ministers meet tonight." {
			t.Fatalf("feed entries = %+v, want 5, the newest first", feed.Entries)
		}
		if feed.Entries[1].Link.Href != app.URL+f.newer.URL() {
			t.Errorf("article entry's link = %q, want the article", feed.Entries[1].Link.Href)
		}
		if !strings.Contains(feed.Entries[0].ID, ":story/") {
			t.Errorf("entry id = %q, want a tag URI", feed.Entries[0].ID)
		}
	})
}

func mustReq(t *testing.T, path string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, path, nil)
	noErr(t, err)
	return req
}

func TestStoryMemberBox(t *testing.T) {
	t.Parallel()
	f := newStoryFixture(t)
	app, st := f.app, f.story

	res, doc := app.Get(t, f.older.URL())
	wantStatus(t, res, http.StatusOK)
	box := doc.Find("aside.rs-box")
	if box.Length() != 1 {
		t.Fatal("the older installment has no 'This story so far' box")
	}
	if box.Find(".rs-box-title a").AttrOr("href", "") != st.URL() {
		t.Errorf("box links to %q, want %q", box.Find(".rs-box-title a").AttrOr("href", ""), st.URL())
	}
	if items := texts(box.Find(".rs-box-list > li")); len(items) != 3 || !strings.Contains(items[0], "Ministers meet tonight.") {
		t.Errorf("box latest = %q, want 3, the newest first", items)
	}
	if !strings.Contains(box.Find(".rs-box-key").Text(), "The committee votes the bill down.") {
		t.Errorf("box key event = %q", box.Find(".rs-box-key").Text())
	}
	if got := strings.TrimSpace(doc.Find(".rs-newer a").Last().Text()); got != "4 newer updates" {
		t.Errorf("newer notice = %q, want \"4 newer updates\"", got)
	}
	na := jsonLDOf(t, doc, "NewsArticle")
	part, _ := na["isPartOf"].(map[string]any)
	if part["@type"] != "LiveBlogPosting" || part["url"] != app.URL+st.URL() {
		t.Errorf("NewsArticle isPartOf = %v", na["isPartOf"])
	}

	_, doc = app.Get(t, f.newer.URL())
	if got := strings.TrimSpace(doc.Find(".rs-newer a").Last().Text()); got != "1 newer update" {
		t.Errorf("newer notice on the second installment = %q, want \"1 newer update\"", got)
	}
	// An article in no story shows neither box nor notice.
	list, err := app.Store.ListArticles(context.Background(), news.ArticleQuery{Limit: 20, Now: time.Now()})
	noErr(t, err)
	checked := false
	for _, a := range list.Articles {
		if _, err := app.Store.StoryBoxOf(context.Background(), a.ID, time.Now(), 1); !news.IsNotFound(err) {
			continue // in a story (the demo's or the fixture's)
		}
		_, doc = app.Get(t, a.URL())
		if doc.Find("aside.rs-box, .rs-newer").Length() != 0 {
			t.Errorf("%s is in no story but shows a story box", a.URL())
		}
		if _, ok := jsonLDOf(t, doc, "NewsArticle")["isPartOf"]; ok {
			t.Errorf("%s is in no story but its NewsArticle has isPartOf", a.URL())
		}
		checked = true
		break
	}
	if !checked {
		t.Error("no demo article outside a story to check")
	}
}

// TestStoryEntryPurges: a cached story page and a cached member article
// show a new entry as soon as it is added (Notify with ChangeStory).
func TestStoryEntryPurges(t *testing.T) {
	t.Parallel()
	f := newStoryFixture(t)
	app, st := f.app, f.story
	app.Get(t, st.URL())
	app.Get(t, f.older.URL())
	if _, ok := app.Server.Cache().Get(st.URL()); !ok {
		t.Fatal("the story page was not cached")
	}
	e := news.StoryEntry{StoryID: st.ID, Text: "Breaking: a deal is struck.", Kind: news.EntryKeyEvent}
	noErr(t, app.Store.AddStoryEntry(context.Background(), &e))
	app.Notify(news.Change{Kind: news.ChangeStory, StoryID: st.ID})

	_, doc := app.Get(t, st.URL())
	if doc.Find("#"+e.Anchor()).Length() != 1 {
		t.Error("the story page does not show the new entry after the change")
	}
	_, doc = app.Get(t, f.older.URL())
	if !strings.Contains(doc.Find(".rs-box-list").Text(), "Breaking: a deal is struck.") {
		t.Error("the member article's box does not show the new entry after the change")
	}
	if got := strings.TrimSpace(doc.Find(".rs-newer a").Last().Text()); got != "5 newer updates" {
		t.Errorf("newer notice = %q, want 5", got)
	}

	// The fragment the live script fetches: just what is new.
	since := strconv.FormatInt(f.latest.PublishedAt.UnixMilli(), 10)
	res, body := app.Do(t, mustReq(t, st.URL()+"/updates?since="+since))
	wantStatus(t, res, http.StatusOK)
	if res.Header.Get("X-Story-Count") != "1" || res.Header.Get("X-Story-Cursor") != strconv.FormatInt(e.PublishedAt.UnixMilli(), 10) {
		t.Errorf("updates headers count=%q cursor=%q", res.Header.Get("X-Story-Count"), res.Header.Get("X-Story-Cursor"))
	}
	if !strings.Contains(string(body), `id="`+e.Anchor()+`"`) || strings.Contains(string(body), f.latest.Anchor()) {
		t.Errorf("updates fragment = %s; want only the new entry", body)
	}
	res, body = app.Do(t, mustReq(t, st.URL()+"/updates?view=box&since="+strconv.FormatInt(e.PublishedAt.UnixMilli(), 10)))
	if res.Header.Get("X-Story-Count") != "0" || strings.TrimSpace(string(body)) != "" {
		t.Errorf("nothing new: count %q body %q", res.Header.Get("X-Story-Count"), body)
	}
}

// TestStoryUpdatesEditsAndRemovals: what the live script fetches carries
// edits (a pin included) and removals made after its cursor, not only
// new entries; the cached page follows too.
func TestStoryUpdatesEditsAndRemovals(t *testing.T) {
	t.Parallel()
	f := newStoryFixture(t)
	app, st := f.app, f.story
	app.Get(t, st.URL())
	since := strconv.FormatInt(time.Now().UnixMilli(), 10)
	// Changes come in a later millisecond than the cursor.
	for deadline := time.Now().Add(time.Second); strconv.FormatInt(time.Now().UnixMilli(), 10) == since; {
		if time.Now().After(deadline) {
			t.Fatal("the clock does not move")
		}
	}
	e := f.latest
	e.Text, e.Pinned = "Ministers meet tonight, and again at dawn.", true
	noErr(t, app.Store.UpdateStoryEntry(context.Background(), &e))
	noErr(t, app.Store.DeleteStoryEntry(context.Background(), st.ID, f.key.ID))
	app.Notify(news.Change{Kind: news.ChangeStory, StoryID: st.ID})

	res, body := app.Do(t, mustReq(t, st.URL()+"/updates?since="+since))
	wantStatus(t, res, http.StatusOK)
	h := res.Header
	if h.Get("X-Story-Count") != "0" || h.Get("X-Story-Changed") != "1" || h.Get("X-Story-Removed") != strconv.FormatInt(f.key.ID, 10) {
		t.Errorf("headers count=%q changed=%q removed=%q; want 0, 1, %d", h.Get("X-Story-Count"), h.Get("X-Story-Changed"), h.Get("X-Story-Removed"), f.key.ID)
	}
	cur, _ := strconv.ParseInt(h.Get("X-Story-Cursor"), 10, 64)
	if s, _ := strconv.ParseInt(since, 10, 64); cur <= s {
		t.Errorf("cursor %d did not move past %s", cur, since)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader("<ol>" + string(body) + "</ol>"))
	noErr(t, err)
	li := doc.Find(`li[data-entry="` + strconv.FormatInt(e.ID, 10) + `"]`)
	if li.Length() != 1 || !strings.Contains(li.Text(), "again at dawn") || !li.HasClass("rs-pinned") || li.AttrOr("id", "") != e.Anchor() {
		t.Errorf("edited entry in the fragment = %q (%d); want the new text, pinned, with its anchor", li.Text(), li.Length())
	}
	if doc.Find(`li[data-pin-entry="`+strconv.FormatInt(e.ID, 10)+`"]`).Length() != 1 {
		t.Errorf("no pinned brief for the page's Pinned list in %s", body)
	}
	// The box gets the edit too, without page-only briefs.
	res, body = app.Do(t, mustReq(t, st.URL()+"/updates?view=box&since="+since))
	if res.Header.Get("X-Story-Changed") != "1" || !strings.Contains(string(body), "again at dawn") || strings.Contains(string(body), "data-pin-entry") {
		t.Errorf("box fragment = %s", body)
	}
	// From the new cursor on, nothing.
	res, body = app.Do(t, mustReq(t, st.URL()+"/updates?since="+strconv.FormatInt(cur, 10)))
	if res.Header.Get("X-Story-Changed") != "0" || res.Header.Get("X-Story-Removed") != "" || strings.TrimSpace(string(body)) != "" {
		t.Errorf("after the cursor: changed %q removed %q body %q", res.Header.Get("X-Story-Changed"), res.Header.Get("X-Story-Removed"), body)
	}
	// The cached page was dropped: it shows the edit and not the removed entry.
	_, page := app.Get(t, st.URL())
	if !strings.Contains(page.Find("#"+e.Anchor()).Text(), "again at dawn") || page.Find("#"+f.key.Anchor()).Length() != 0 {
		t.Errorf("story page after the change: edited %q, removed entry still there: %v", page.Find("#"+e.Anchor()).Text(), page.Find("#"+f.key.Anchor()).Length() != 0)
	}
}

// TestStoryLiveStream: the stream says "entry" when the story changes.
func TestStoryLiveStream(t *testing.T) {
	t.Parallel()
	f := newStoryFixture(t)
	app, st := f.app, f.story
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, app.URL+st.URL()+"/live", nil)
	noErr(t, err)
	res, err := http.DefaultClient.Do(req)
	noErr(t, err)
	defer res.Body.Close()
	wantStatus(t, res, http.StatusOK)
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("Content-Type = %q", ct)
	}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	waitFor := func(want string) {
		t.Helper()
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("stream ended before %q", want)
				}
				if l == want {
					return
				}
			case <-ctx.Done():
				t.Fatalf("no %q on the stream", want)
			}
		}
	}
	waitFor(": connected")
	// Another story's change is not sent.
	app.Notify(news.Change{Kind: news.ChangeStory, StoryID: st.ID + 1000})
	e := news.StoryEntry{StoryID: st.ID, Text: "Live entry."}
	noErr(t, app.Store.AddStoryEntry(context.Background(), &e))
	app.Notify(news.Change{Kind: news.ChangeStory, StoryID: st.ID})
	waitFor("event: entry")
	waitFor("data: " + strconv.FormatInt(st.ID, 10))
	// Closing the server's streams (graceful shutdown) ends the stream.
	app.Server.StopStreams()
	for range lines {
	}
}

// TestStoryLiveOutlivesWriteTimeout: a stream lifts the server's write
// timeout for itself (serve sets 60 s; here 300 ms), so an entry added
// after that time still reaches the reader.
func TestStoryLiveOutlivesWriteTimeout(t *testing.T) {
	t.Parallel()
	f := newStoryFixture(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	noErr(t, err)
	const writeTimeout = 300 * time.Millisecond
	hs := &http.Server{Handler: f.app.Server.Handler(), WriteTimeout: writeTimeout}
	go hs.Serve(ln)
	defer hs.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+ln.Addr().String()+f.story.URL()+"/live", nil)
	res, err := http.DefaultClient.Do(req)
	noErr(t, err)
	defer res.Body.Close()
	lines := make(chan string)
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
	// Past the write timeout (three times over), then an entry.
	quiet := time.After(3 * writeTimeout)
wait:
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("the stream was cut by the write timeout")
			}
			if l != "" {
				t.Fatalf("the stream said %q before anything happened", l)
			}
		case <-quiet:
			break wait
		}
	}
	e := news.StoryEntry{StoryID: f.story.ID, Text: "After the timeout."}
	noErr(t, f.app.Store.AddStoryEntry(context.Background(), &e))
	f.app.Notify(news.Change{Kind: news.ChangeStory, StoryID: f.story.ID})
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("the stream was cut (by the write timeout?) before the entry")
			}
			if l == "event: entry" {
				return
			}
		case <-ctx.Done():
			t.Fatal("no entry on the stream")
		}
	}
}

// TestStoriesIndex: /stories lists every running story (live ones
// first, concluded ones apart), follows a new story at once (the cached
// index is purged by ChangeStory), and the sitemap names each story.
func TestStoriesIndex(t *testing.T) {
	t.Parallel()
	f := newStoryFixture(t)
	app, ctx := f.app, context.Background()
	res, doc := app.Get(t, "/stories")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("/stories: %d", res.StatusCode)
	}
	link := doc.Find(`#rs-open-h ~ .rs-index a[href="` + f.story.URL() + `"]`)
	if link.Length() != 1 || strings.TrimSpace(link.Text()) != f.story.Title {
		t.Errorf("the live story is not listed under Developing: %q", strings.Join(strings.Fields(doc.Find("main").Text()), " "))
	}
	if doc.Find(".rs-index-item").First().Find(".rs-live-flag").Length() != 1 {
		t.Error("the first story listed is not the live one")
	}
	if _, ok := app.Server.Cache().Get("/stories"); !ok {
		t.Fatal("the index was not cached")
	}

	done := news.Story{Title: "The shipyard strike", Standfirst: "Settled in the spring.", Status: news.StoryConcluded}
	noErr(t, app.Store.CreateStory(ctx, &done, 0))
	app.Notify(news.Change{Kind: news.ChangeStory, StoryID: done.ID})
	_, doc = app.Get(t, "/stories")
	if doc.Find(`#rs-settled-h ~ .rs-index a[href="`+done.URL()+`"]`).Length() != 1 {
		t.Error("a concluded story added after the index was cached is not under Concluded")
	}
	if doc.Find(`#rs-open-h ~ .rs-index a[href="`+done.URL()+`"]`).Length() != 0 {
		t.Error("a concluded story is listed as developing")
	}

	req, _ := http.NewRequest("GET", app.URL+"/sitemaps/sections.xml", nil)
	_, raw := app.Do(t, req)
	for _, u := range []string{"/stories", f.story.URL(), done.URL()} {
		if !strings.Contains(string(raw), u+"</loc>") {
			t.Errorf("sections sitemap lacks %s", u)
		}
	}
}

// TestStoryPinnedShownOnce: a pinned entry (here a key event) is read
// once, in full, in the "Pinned" list at the top; it leaves the key
// events' briefs, and its place in the chronology is a line leading up to
// it. Views without the list (one kind) show it in full where it falls.
// A live story's page keeps an empty, hidden "Pinned" list for the live
// script to fill.
func TestStoryPinnedShownOnce(t *testing.T) {
	t.Parallel()
	f := newStoryFixture(t)
	app, st := f.app, f.story
	_, doc := app.Get(t, st.URL())
	if sec := doc.Find("section.rs-pinned-list"); sec.Length() != 1 || sec.AttrOr("hidden", "none") != "" || sec.Find("li").Length() != 0 {
		t.Errorf("live story without pins: pinned list %d, hidden %q, items %d; want one, hidden, empty", sec.Length(), sec.AttrOr("hidden", "none"), sec.Find("li").Length())
	}

	e := f.key
	e.Pinned = true
	noErr(t, app.Store.UpdateStoryEntry(context.Background(), &e))
	app.Notify(news.Change{Kind: news.ChangeStory, StoryID: st.ID})
	_, doc = app.Get(t, st.URL())
	sec := doc.Find("section.rs-pinned-list")
	if _, hidden := sec.Attr("hidden"); hidden || sec.Length() != 1 {
		t.Fatalf("pinned list: %d, hidden %v; want one, shown", sec.Length(), hidden)
	}
	pin := sec.Find("li")
	if pin.Length() != 1 || pin.AttrOr("id", "") != "pin-"+e.Anchor() || pin.Find("strong").Text() != "votes" || !strings.Contains(pin.Find(".rs-meta").Text(), "Pinned") {
		t.Errorf("pinned list item %q (%d, id %q); want the key event in full, marked pinned", pin.Text(), pin.Length(), pin.AttrOr("id", ""))
	}
	// Once in full on the page: the body's bold word appears once.
	if n := doc.Find("main strong").FilterFunction(func(_ int, s *goquery.Selection) bool { return s.Text() == "votes" }).Length(); n != 1 {
		t.Errorf("the pinned entry's text is on the page %d times, want once", n)
	}
	if doc.Find(".rs-keys").Length() != 0 {
		t.Errorf("the pinned key event is also in the key events: %q", doc.Find(".rs-keys").Text())
	}
	mark := doc.Find("ol.rs-entries > li#" + e.Anchor())
	if !mark.HasClass("rs-pin-mark") || mark.Find("a").AttrOr("href", "") != "#pin-"+e.Anchor() || !strings.Contains(mark.Text(), "The committee votes the bill down.") || mark.Find("strong").Length() != 0 {
		t.Errorf("chronology place of the pinned entry = %q (classes %q, link %q); want a line leading to the pinned list", mark.Text(), mark.AttrOr("class", ""), mark.Find("a").AttrOr("href", ""))
	}
	if n := doc.Find("ol.rs-entries > li").Length(); n != 5 {
		t.Errorf("chronology has %d places, want 5 (the pinned one keeps its place)", n)
	}

	_, doc = app.Get(t, st.URL()+"?kind=key")
	if doc.Find("section.rs-pinned-list").Length() != 0 || doc.Find("#"+e.Anchor()+" strong").Text() != "votes" {
		t.Errorf("?kind=key: pinned list %d, entry %q; want no list and the entry in full", doc.Find("section.rs-pinned-list").Length(), doc.Find("#"+e.Anchor()).Text())
	}

	// The live fragment carries both forms: the chronology's line and the
	// full entry for the list.
	res, body := app.Do(t, mustReq(t, st.URL()+"/updates?since=1"))
	wantStatus(t, res, http.StatusOK)
	frag, err := goquery.NewDocumentFromReader(strings.NewReader("<ol>" + string(body) + "</ol>"))
	noErr(t, err)
	id := strconv.FormatInt(e.ID, 10)
	if li := frag.Find(`li[data-entry="` + id + `"]`); !li.HasClass("rs-pin-mark") || li.AttrOr("id", "") != e.Anchor() {
		t.Errorf("fragment's chronology item = %q (classes %q)", li.Text(), li.AttrOr("class", ""))
	}
	if li := frag.Find(`li[data-pin-entry="` + id + `"]`); li.Find("strong").Text() != "votes" || li.AttrOr("id", "") != "pin-"+e.Anchor() {
		t.Errorf("fragment's pinned item = %q (id %q), want the entry in full", li.Text(), li.AttrOr("id", ""))
	}
}
