package site

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"byline/internal/markup"
	"byline/internal/news"
	"byline/internal/pagecache"
	"byline/internal/render"
	"byline/internal/store/sqlitestore"
)

const testBase = "https://news.example.com"

// feedFixture is a reader site over a real SQLite store with a fixed clock:
// 40 visible articles two hours apart (the newest 30 minutes old) in
// national, national/politics and business, plus a draft, an embargoed
// and a scheduled article that readers must never see.
type feedFixture struct {
	t                                   *testing.T
	ctx                                 context.Context
	now                                 time.Time
	store                               *sqlitestore.Store
	site                                *Site
	cache                               *pagecache.Cache
	srv                                 *httptest.Server
	national, politics, business, empty news.Section
	kim, lee, park                      news.Author
	visible                             []news.Article // newest first
	hidden                              []news.Article
	newestChange                        time.Time
}

func newFeedFixture(t *testing.T, articles int) *feedFixture {
	t.Helper()
	f := &feedFixture{t: t, ctx: context.Background(), now: time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)}
	st, err := sqlitestore.Open(f.ctx, filepath.Join(t.TempDir(), "byline.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f.store = st
	f.national = f.section(news.Section{Name: "National", Slug: "national", Position: 1})
	f.politics = f.section(news.Section{Name: "Politics", Slug: "politics", ParentID: f.national.ID})
	f.business = f.section(news.Section{Name: "Business", Slug: "business", Position: 2})
	f.empty = f.section(news.Section{Name: "Opinion", Slug: "opinion", Position: 3})
	f.kim = f.author(news.Author{Name: "Kim Min-ji", Slug: "kim-min-ji"})
	f.lee = f.author(news.Author{Name: "Lee Joon", Slug: "lee-joon"})
	f.park = f.author(news.Author{Name: "Park Soo", Slug: "park-soo"}) // has no article

	md := markup.New()
	secs := []news.Section{f.national, f.politics, f.business}
	for i := 0; i < articles; i++ {
		a := news.Article{
			Headline:    fmt.Sprintf("Story number %d", i),
			Dek:         fmt.Sprintf("The dek of story %d.", i),
			SectionID:   secs[i%3].ID,
			Body:        fmt.Sprintf("Paragraph one of story %d.\n\nParagraph two.", i),
			Status:      news.StatusPublished,
			PublishedAt: f.now.Add(-time.Duration(i)*2*time.Hour - 30*time.Minute),
			Authors:     []news.Author{{ID: f.kim.ID}},
			Tags:        []string{"tag " + fmt.Sprint(i%4)},
		}
		if i%2 == 1 {
			a.Authors = []news.Author{{ID: f.lee.ID}, {ID: f.kim.ID}}
		}
		if i%5 == 0 {
			a.Image = &news.Image{URL: fmt.Sprintf("/media/2026/photo-%d.jpg", i), Alt: "A photo", Caption: "A caption", Width: 1200, Height: 800}
		}
		switch i {
		case 0:
			a.Headline = "Fish & chips <b>tonight</b>"
			a.Body = "AT&T says \"hello\" <script>alert(1)</script>\n\n![A harbour](/media/harbour.jpg)\n\nSee [the archive](/section/national) and [elsewhere](https://example.org/x).\n\nA control \x02 character."
		case 1:
			// Updated after publication: its change is the newest.
			a.UpdatedAt = f.now.Add(-10 * time.Minute)
		}
		a.BodyText = md.Text(a.Body)
		f.visible = append(f.visible, f.article(a))
	}
	for _, a := range []news.Article{
		{Headline: "HIDDEN draft", Status: news.StatusDraft, SectionID: f.politics.ID, Body: "x"},
		{Headline: "HIDDEN embargoed", Status: news.StatusPublished, SectionID: f.politics.ID, Body: "x",
			PublishedAt: f.now.Add(-time.Minute), EmbargoUntil: f.now.Add(time.Hour)},
		{Headline: "HIDDEN scheduled", Status: news.StatusPublished, SectionID: f.business.ID, Body: "x",
			PublishedAt: f.now.Add(time.Hour)},
	} {
		a.Authors = []news.Author{{ID: f.park.ID}}
		f.hidden = append(f.hidden, f.article(a))
	}
	f.newestChange = latestChange(f.visible)

	pages, err := render.New(render.Options{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	f.site, err = New(f.ctx, Deps{Config: Config{Name: "The Test Times", Tagline: "All the news that fits", BaseURL: testBase},
		Store: st, Pages: pages, Markup: md, Now: func() time.Time { return f.now }})
	if err != nil {
		t.Fatal(err)
	}
	f.cache = pagecache.New(64 << 20)
	mux := http.NewServeMux()
	f.site.Routes(mux, f.cache)
	mux.HandleFunc("/", f.site.NotFound)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *feedFixture) section(s news.Section) news.Section {
	f.t.Helper()
	if err := f.store.CreateSection(f.ctx, &s); err != nil {
		f.t.Fatal(err)
	}
	return s
}

func (f *feedFixture) author(a news.Author) news.Author {
	f.t.Helper()
	if err := f.store.CreateAuthor(f.ctx, &a); err != nil {
		f.t.Fatal(err)
	}
	return a
}

func (f *feedFixture) article(a news.Article) news.Article {
	f.t.Helper()
	if err := f.store.CreateArticle(f.ctx, &a); err != nil {
		f.t.Fatal(err)
	}
	return a
}

type feedResponse struct {
	status int
	header http.Header
	body   []byte
}

func (f *feedFixture) get(path string, hdr ...string) feedResponse {
	f.t.Helper()
	req, err := http.NewRequest("GET", f.srv.URL+path, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		f.t.Fatal(err)
	}
	return feedResponse{res.StatusCode, res.Header, b}
}

// ok gets path and checks a 200 with the content type and the headers
// every feed and sitemap carries.
func (f *feedFixture) ok(path, contentType string) feedResponse {
	f.t.Helper()
	r := f.get(path)
	if r.status != http.StatusOK {
		f.t.Fatalf("GET %s: status %d, want 200; body %.300s", path, r.status, r.body)
	}
	if got := r.header.Get("Content-Type"); got != contentType {
		f.t.Errorf("GET %s: Content-Type %q, want %q", path, got, contentType)
	}
	if got, want := r.header.Get("Cache-Control"), "public, max-age=0, s-maxage=300"; got != want {
		f.t.Errorf("GET %s: Cache-Control %q, want %q", path, got, want)
	}
	return r
}

func (f *feedFixture) notFound(path string) {
	f.t.Helper()
	r := f.get(path)
	if r.status != http.StatusNotFound {
		f.t.Errorf("GET %s: status %d, want 404", path, r.status)
		return
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") || !strings.Contains(string(r.body), "Page not found") {
		f.t.Errorf("GET %s: want the site's 404 page, got %q %.200s", path, ct, r.body)
	}
}

func (f *feedFixture) byHeadline() map[string]news.Article {
	m := map[string]news.Article{}
	for _, a := range f.visible {
		m[a.Headline] = a
	}
	return m
}

// ---- a small validity check of each format ----

type tRSS struct {
	XMLName xml.Name `xml:"rss"`
	Version string   `xml:"version,attr"`
	Channel struct {
		Title         string     `xml:"title"`
		Links         []tLink    `xml:"link"`
		Description   string     `xml:"description"`
		Language      string     `xml:"language"`
		LastBuildDate string     `xml:"lastBuildDate"`
		Items         []tRSSItem `xml:"item"`
	} `xml:"channel"`
}

type tLink struct {
	XMLName xml.Name
	Href    string `xml:"href,attr"`
	Rel     string `xml:"rel,attr"`
	Type    string `xml:"type,attr"`
	Value   string `xml:",chardata"`
}

type tRSSItem struct {
	Title       string   `xml:"title"`
	Link        string   `xml:"link"`
	Description string   `xml:"description"`
	Content     string   `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
	Creators    []string `xml:"http://purl.org/dc/elements/1.1/ creator"`
	Categories  []struct {
		Domain string `xml:"domain,attr"`
		Value  string `xml:",chardata"`
	} `xml:"category"`
	GUID struct {
		IsPermaLink string `xml:"isPermaLink,attr"`
		Value       string `xml:",chardata"`
	} `xml:"guid"`
	PubDate string `xml:"pubDate"`
	Media   *struct {
		URL    string `xml:"url,attr"`
		Medium string `xml:"medium,attr"`
	} `xml:"http://search.yahoo.com/mrss/ content"`
}

func isAbsolute(u string) bool { return strings.HasPrefix(u, testBase+"/") }

// checkRSS parses an RSS 2.0 document and checks what the specification
// requires and what feed readers rely on.
func checkRSS(t *testing.T, body []byte, self string) tRSS {
	t.Helper()
	var d tRSS
	if err := xml.Unmarshal(body, &d); err != nil {
		t.Fatalf("RSS does not parse: %v\n%.500s", err, body)
	}
	c := d.Channel
	if d.Version != "2.0" {
		t.Errorf("rss version %q, want 2.0", d.Version)
	}
	var link, selfLink string
	for _, l := range c.Links {
		switch {
		case l.XMLName.Space == "" && l.XMLName.Local == "link":
			link = l.Value
		case l.XMLName.Space == nsAtom && l.Rel == "self":
			selfLink = l.Href
		}
	}
	if c.Title == "" || !isAbsolute(link) || c.Description == "" {
		t.Errorf("channel needs title, absolute link and description: %q %q %q", c.Title, link, c.Description)
	}
	if selfLink != testBase+self {
		t.Errorf("atom:link rel=self %q, want %q", selfLink, testBase+self)
	}
	if _, err := time.Parse(time.RFC1123Z, c.LastBuildDate); err != nil {
		t.Errorf("lastBuildDate %q: %v", c.LastBuildDate, err)
	}
	seen := map[string]bool{}
	var prev time.Time
	for i, it := range c.Items {
		if it.Title == "" || !isAbsolute(it.Link) || it.Description == "" {
			t.Errorf("item %d needs title, absolute link and description: %+v", i, it)
		}
		if it.GUID.Value == "" || seen[it.GUID.Value] {
			t.Errorf("item %d: guid %q missing or repeated", i, it.GUID.Value)
		}
		seen[it.GUID.Value] = true
		if it.GUID.IsPermaLink != "false" && !isAbsolute(it.GUID.Value) {
			t.Errorf("item %d: guid %q is a permalink but not a URL", i, it.GUID.Value)
		}
		pub, err := time.Parse(time.RFC1123Z, it.PubDate)
		if err != nil || pub.Format(time.RFC1123Z) != it.PubDate {
			t.Errorf("item %d: pubDate %q is not RFC 1123 with a numeric zone", i, it.PubDate)
		}
		if i > 0 && pub.After(prev) {
			t.Errorf("item %d (%s) is newer than the item before it: not newest first", i, it.PubDate)
		}
		prev = pub
	}
	return d
}

type tAtom struct {
	XMLName xml.Name `xml:"feed"`
	Lang    string   `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Links   []tLink  `xml:"link"`
	Author  []struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Entries []tAtomEntry `xml:"entry"`
}

type tAtomEntry struct {
	ID        string  `xml:"id"`
	Title     string  `xml:"title"`
	Updated   string  `xml:"updated"`
	Published string  `xml:"published"`
	Links     []tLink `xml:"link"`
	Authors   []struct {
		Name string `xml:"name"`
		URI  string `xml:"uri"`
	} `xml:"author"`
	Categories []struct {
		Term  string `xml:"term,attr"`
		Label string `xml:"label,attr"`
	} `xml:"category"`
	Summary string `xml:"summary"`
	Content struct {
		Type  string `xml:"type,attr"`
		Value string `xml:",chardata"`
	} `xml:"http://www.w3.org/2005/Atom content"`
}

// checkAtom checks RFC 4287's musts: feed id, title, updated, a self
// link and an author; each entry's id, title, updated and link.
func checkAtom(t *testing.T, body []byte, self string) tAtom {
	t.Helper()
	var d tAtom
	if err := xml.Unmarshal(body, &d); err != nil {
		t.Fatalf("Atom does not parse: %v\n%.500s", err, body)
	}
	if d.XMLName.Space != nsAtom {
		t.Errorf("feed namespace %q, want %q", d.XMLName.Space, nsAtom)
	}
	if d.ID == "" || d.Title == "" || len(d.Author) == 0 {
		t.Errorf("feed needs id, title and author: %q %q %v", d.ID, d.Title, d.Author)
	}
	if _, err := time.Parse(time.RFC3339, d.Updated); err != nil {
		t.Errorf("feed updated %q: %v", d.Updated, err)
	}
	if href := relLink(d.Links, "self"); href != testBase+self {
		t.Errorf("link rel=self %q, want %q", href, testBase+self)
	}
	seen := map[string]bool{}
	var prev time.Time
	for i, e := range d.Entries {
		if e.ID == "" || seen[e.ID] || e.Title == "" {
			t.Errorf("entry %d needs a unique id and a title: %q %q", i, e.ID, e.Title)
		}
		seen[e.ID] = true
		if _, err := time.Parse(time.RFC3339, e.Updated); err != nil {
			t.Errorf("entry %d updated %q: %v", i, e.Updated, err)
		}
		pub, err := time.Parse(time.RFC3339, e.Published)
		if err != nil {
			t.Errorf("entry %d published %q: %v", i, e.Published, err)
		}
		if i > 0 && pub.After(prev) {
			t.Errorf("entry %d is newer than the entry before it", i)
		}
		prev = pub
		if href := relLink(e.Links, "alternate"); !isAbsolute(href) {
			t.Errorf("entry %d: alternate link %q is not absolute", i, href)
		}
		if e.Content.Type != "html" || e.Content.Value == "" {
			t.Errorf("entry %d: content type %q, %d bytes", i, e.Content.Type, len(e.Content.Value))
		}
	}
	return d
}

func relLink(links []tLink, rel string) string {
	for _, l := range links {
		if l.Rel == rel {
			return l.Href
		}
	}
	return ""
}

type tJSONFeed struct {
	Version     string `json:"version"`
	Title       string `json:"title"`
	HomePageURL string `json:"home_page_url"`
	FeedURL     string `json:"feed_url"`
	Items       []struct {
		ID            string `json:"id"`
		URL           string `json:"url"`
		Title         string `json:"title"`
		ContentHTML   string `json:"content_html"`
		Summary       string `json:"summary"`
		Image         string `json:"image"`
		DatePublished string `json:"date_published"`
		DateModified  string `json:"date_modified"`
		Authors       []struct {
			Name string `json:"name"`
			URL  string `json:"url"`
		} `json:"authors"`
		Tags []string `json:"tags"`
	} `json:"items"`
}

func checkJSONFeed(t *testing.T, body []byte, self string) tJSONFeed {
	t.Helper()
	var d tJSONFeed
	if err := json.Unmarshal(body, &d); err != nil {
		t.Fatalf("JSON Feed does not parse: %v\n%.500s", err, body)
	}
	if d.Version != "https://jsonfeed.org/version/1.1" || d.Title == "" || !isAbsolute(d.HomePageURL) || d.FeedURL != testBase+self {
		t.Errorf("feed header: version %q title %q home %q feed_url %q", d.Version, d.Title, d.HomePageURL, d.FeedURL)
	}
	seen := map[string]bool{}
	for i, it := range d.Items {
		if it.ID == "" || seen[it.ID] || !isAbsolute(it.URL) || it.ContentHTML == "" {
			t.Errorf("item %d needs a unique id, absolute url and content_html: %+v", i, it)
		}
		seen[it.ID] = true
		if _, err := time.Parse(time.RFC3339, it.DatePublished); err != nil {
			t.Errorf("item %d date_published %q: %v", i, it.DatePublished, err)
		}
	}
	return d
}

// ---- tests ----

func TestRSSFeed(t *testing.T) {
	f := newFeedFixture(t, 40)
	r := f.ok("/feed/rss", "application/rss+xml; charset=utf-8")
	if got, want := r.header.Get("Last-Modified"), f.newestChange.UTC().Format(http.TimeFormat); got != want {
		t.Errorf("Last-Modified %q, want %q (the newest change)", got, want)
	}
	d := checkRSS(t, r.body, "/feed/rss")
	items := d.Channel.Items
	if len(items) != feedSize {
		t.Fatalf("got %d items, want %d", len(items), feedSize)
	}
	for i, it := range items {
		want := f.visible[i]
		if it.Title != want.Headline || it.Link != testBase+want.URL() {
			t.Errorf("item %d: got %q %q, want %q %q", i, it.Title, it.Link, want.Headline, testBase+want.URL())
		}
		if !strings.HasPrefix(it.GUID.Value, "tag:news.example.com,") || !strings.HasSuffix(it.GUID.Value, fmt.Sprintf(":article/%d", want.ID)) {
			t.Errorf("item %d: guid %q is not the article's tag: URI", i, it.GUID.Value)
		}
		if it.Description != want.Dek {
			t.Errorf("item %d: description %q, want the dek %q", i, it.Description, want.Dek)
		}
		if len(it.Creators) != len(want.Authors) {
			t.Errorf("item %d: %d dc:creator, want %d", i, len(it.Creators), len(want.Authors))
		}
		if len(it.Categories) != 1+len(want.Tags) || it.Categories[0].Value != f.sectionName(want.SectionID) {
			t.Errorf("item %d: categories %+v, want the section then %v", i, it.Categories, want.Tags)
		}
		if (want.Image != nil) != (it.Media != nil) {
			t.Errorf("item %d: media:content %v, article image %v", i, it.Media, want.Image)
		} else if it.Media != nil && (it.Media.URL != testBase+want.Image.URL || it.Media.Medium != "image") {
			t.Errorf("item %d: media:content %+v", i, it.Media)
		}
	}
	for _, it := range items {
		if strings.HasPrefix(it.Title, "HIDDEN") {
			t.Errorf("hidden article %q is in the feed", it.Title)
		}
	}

	// The first story's body tries markup, a script and a control
	// character; the feed carries it escaped and sanitized.
	first := items[0]
	if first.Title != "Fish & chips <b>tonight</b>" {
		t.Errorf("title %q was not carried as text", first.Title)
	}
	for _, bad := range []string{"<script", "\x02"} {
		if strings.Contains(first.Content, bad) {
			t.Errorf("content:encoded carries %q: %s", bad, first.Content)
		}
	}
	for _, want := range []string{"AT&amp;T", `src="` + testBase + `/media/harbour.jpg"`, `href="` + testBase + `/section/national"`, `href="https://example.org/x"`} {
		if !strings.Contains(first.Content, want) {
			t.Errorf("content:encoded lacks %q: %s", want, first.Content)
		}
	}
	if !strings.Contains(string(r.body), "<![CDATA[") {
		t.Errorf("content:encoded is not in a CDATA section")
	}
}

func (f *feedFixture) sectionName(id int64) string {
	for _, s := range []news.Section{f.national, f.politics, f.business, f.empty} {
		if s.ID == id {
			return s.Name
		}
	}
	return ""
}

func TestAtomFeed(t *testing.T) {
	f := newFeedFixture(t, 40)
	r := f.ok("/feed/atom", "application/atom+xml; charset=utf-8")
	d := checkAtom(t, r.body, "/feed/atom")
	if len(d.Entries) != feedSize {
		t.Fatalf("got %d entries, want %d", len(d.Entries), feedSize)
	}
	if d.Lang != "en" {
		t.Errorf("xml:lang %q, want en", d.Lang)
	}
	if got, want := d.Updated, f.newestChange.UTC().Format(time.RFC3339); got != want {
		t.Errorf("feed updated %q, want %q", got, want)
	}
	e := d.Entries[1]
	want := f.visible[1]
	if e.Updated != want.UpdatedAt.UTC().Format(time.RFC3339) || e.Published != want.PublishedAt.UTC().Format(time.RFC3339) {
		t.Errorf("entry 1: published %s updated %s, want %s %s", e.Published, e.Updated, want.PublishedAt, want.UpdatedAt)
	}
	if len(e.Authors) != 2 || e.Authors[0].Name != f.lee.Name || e.Authors[0].URI != testBase+f.lee.URL() {
		t.Errorf("entry 1 authors %+v, want Lee then Kim with their pages", e.Authors)
	}
	if len(e.Categories) == 0 || e.Categories[0].Term != "national/politics" || e.Categories[0].Label != "Politics" {
		t.Errorf("entry 1 categories %+v, want the section first", e.Categories)
	}
	if !strings.Contains(d.Entries[0].Content.Value, "AT&amp;T") || strings.Contains(d.Entries[0].Content.Value, "<script") {
		t.Errorf("entry 0 content not escaped and sanitized: %s", d.Entries[0].Content.Value)
	}
	// Entry 0 has a lead image: an enclosure link with its type.
	var enc tLink
	for _, l := range d.Entries[0].Links {
		if l.Rel == "enclosure" {
			enc = l
		}
	}
	if enc.Href != testBase+"/media/2026/photo-0.jpg" || enc.Type != "image/jpeg" {
		t.Errorf("entry 0 enclosure %+v", enc)
	}
}

func TestJSONFeed(t *testing.T) {
	f := newFeedFixture(t, 40)
	r := f.ok("/feed/json", "application/feed+json; charset=utf-8")
	d := checkJSONFeed(t, r.body, "/feed/json")
	if len(d.Items) != feedSize {
		t.Fatalf("got %d items, want %d", len(d.Items), feedSize)
	}
	for i, it := range d.Items {
		if it.URL != testBase+f.visible[i].URL() {
			t.Errorf("item %d url %q, want %q", i, it.URL, testBase+f.visible[i].URL())
		}
	}
	if got := d.Items[0]; got.Image != testBase+"/media/2026/photo-0.jpg" || got.Title != "Fish & chips <b>tonight</b>" ||
		!strings.Contains(got.ContentHTML, "AT&amp;T") || strings.Contains(got.ContentHTML, "<script") {
		t.Errorf("item 0: %+v", got)
	}
	if got := d.Items[0].Tags; len(got) == 0 || got[0] != "National" {
		t.Errorf("item 0 tags %v, want the section first", got)
	}
}

func TestSectionFeedsHoldTheirSubtree(t *testing.T) {
	f := newFeedFixture(t, 40)
	inSubtree := func(ids ...int64) map[string]bool {
		m := map[string]bool{}
		for _, a := range f.visible {
			for _, id := range ids {
				if a.SectionID == id {
					m[testBase+a.URL()] = true
				}
			}
		}
		return m
	}
	for _, tc := range []struct {
		path string
		want map[string]bool
	}{
		{"national", inSubtree(f.national.ID, f.politics.ID)},
		{"national/politics", inSubtree(f.politics.ID)},
		{"business", inSubtree(f.business.ID)},
		{"opinion", map[string]bool{}},
	} {
		rss := checkRSS(t, f.ok("/feed/rss/"+tc.path, "application/rss+xml; charset=utf-8").body, "/feed/rss/"+tc.path)
		atom := checkAtom(t, f.ok("/feed/atom/"+tc.path, "application/atom+xml; charset=utf-8").body, "/feed/atom/"+tc.path)
		js := checkJSONFeed(t, f.ok("/feed/json/"+tc.path, "application/feed+json; charset=utf-8").body, "/feed/json/"+tc.path)
		wantN := min(len(tc.want), feedSize)
		if len(rss.Channel.Items) != wantN || len(atom.Entries) != wantN || len(js.Items) != wantN {
			t.Errorf("%s: rss %d, atom %d, json %d items; want %d", tc.path, len(rss.Channel.Items), len(atom.Entries), len(js.Items), wantN)
		}
		for _, it := range rss.Channel.Items {
			if !tc.want[it.Link] {
				t.Errorf("%s feed has %s from outside the section", tc.path, it.Link)
			}
		}
		for _, e := range atom.Entries {
			if !tc.want[relLink(e.Links, "alternate")] {
				t.Errorf("%s atom feed has %s from outside the section", tc.path, relLink(e.Links, "alternate"))
			}
		}
		var link string
		for _, l := range rss.Channel.Links {
			if l.XMLName.Space == "" {
				link = l.Value
			}
		}
		if link != testBase+"/section/"+tc.path {
			t.Errorf("%s: channel link %q", tc.path, link)
		}
	}
}

func TestEmptyFeedsAreValid(t *testing.T) {
	f := newFeedFixture(t, 0)
	rss := checkRSS(t, f.ok("/feed/rss", "application/rss+xml; charset=utf-8").body, "/feed/rss")
	atom := checkAtom(t, f.ok("/feed/atom", "application/atom+xml; charset=utf-8").body, "/feed/atom")
	js := checkJSONFeed(t, f.ok("/feed/json", "application/feed+json; charset=utf-8").body, "/feed/json")
	if len(rss.Channel.Items)+len(atom.Entries)+len(js.Items) != 0 {
		t.Errorf("an empty paper has items in its feeds")
	}
	if lm := f.get("/feed/rss").header.Get("Last-Modified"); lm != "" {
		t.Errorf("an empty feed claims Last-Modified %q", lm)
	}
	if js.Items == nil {
		t.Errorf(`JSON Feed "items" must be an array, even empty`)
	}
}

func TestFeedRefusals(t *testing.T) {
	f := newFeedFixture(t, 3)
	for _, p := range []string{"/feed/rss/nope", "/feed/atom/national/nope", "/feed/json/politics", "/feed/rss/national%2Fpolitics%00",
		"/feed/xml", "/feed/rss/" + strings.Repeat("a/", 300) + "a"} {
		f.notFound(p)
	}
	for p, to := range map[string]string{"/feed/rss/": "/feed/rss", "/feed/atom/national/": "/feed/atom/national", "/feed": "/feed/rss", "/feed/": "/feed/rss"} {
		r := f.get(p)
		if r.status != http.StatusMovedPermanently || r.header.Get("Location") != to {
			t.Errorf("GET %s: %d to %q, want 301 to %q", p, r.status, r.header.Get("Location"), to)
		}
	}
}

func TestFeedsComeFromTheCache(t *testing.T) {
	f := newFeedFixture(t, 3)
	first := f.ok("/feed/atom", "application/atom+xml; charset=utf-8")
	hits := f.cache.Hits.Load()
	second := f.ok("/feed/atom", "application/atom+xml; charset=utf-8")
	if f.cache.Hits.Load() != hits+1 || string(second.body) != string(first.body) {
		t.Errorf("second request was not served from the page cache")
	}
	r := f.get("/feed/atom", "If-None-Match", first.header.Get("ETag"))
	if r.status != http.StatusNotModified {
		t.Errorf("conditional request: status %d, want 304", r.status)
	}
}

func TestAbsolutizeHTML(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`<p>x</p>`, `<p>x</p>`},
		{`<a href="/a?b=1&amp;c=2">l</a>`, `<a href="https://h/a?b=1&amp;c=2">l</a>`},
		{`<a href="//cdn/x">l</a><a href="#f">f</a>`, `<a href="//cdn/x">l</a><a href="#f">f</a>`},
		{`<img src="/m/a.jpg" srcset="/m/a.jpg 480w, /m/b.jpg 960w" alt="&lt;">`, `<img src="https://h/m/a.jpg" srcset="https://h/m/a.jpg 480w, https://h/m/b.jpg 960w" alt="&lt;">`},
	} {
		if got := absolutizeHTML(tc.in, "https://h"); got != tc.want {
			t.Errorf("absolutizeHTML(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

// newBenchFixture is a site over n visible articles of a few paragraphs,
// one a minute, written in one pass.
func newBenchFixture(b *testing.B, n int) *Site {
	b.Helper()
	ctx := context.Background()
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	st, err := sqlitestore.Open(ctx, filepath.Join(b.TempDir(), "byline.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	sec := news.Section{Name: "National", Slug: "national"}
	if err := st.CreateSection(ctx, &sec); err != nil {
		b.Fatal(err)
	}
	au := news.Author{Name: "Kim Min-ji"}
	if err := st.CreateAuthor(ctx, &au); err != nil {
		b.Fatal(err)
	}
	body := strings.Repeat("A paragraph of a news story, long enough to look like one, with [a link](/section/national).\n\n", 12)
	for i := range n {
		a := news.Article{Headline: fmt.Sprintf("Story %d", i), Dek: "A dek.", SectionID: sec.ID, Body: body, BodyText: body,
			Status: news.StatusPublished, PublishedAt: now.Add(-time.Duration(i) * time.Minute), Authors: []news.Author{{ID: au.ID}}, Tags: []string{"economy"}}
		if i%2 == 0 {
			a.Image = &news.Image{URL: fmt.Sprintf("/media/p%d.jpg", i), Alt: "A photo"}
		}
		if err := st.CreateArticle(ctx, &a); err != nil {
			b.Fatal(err)
		}
	}
	pages, err := render.New(render.Options{})
	if err != nil {
		b.Fatal(err)
	}
	s, err := New(ctx, Deps{Config: Config{Name: "The Test Times", BaseURL: testBase}, Store: st, Pages: pages, Markup: markup.New(),
		Now: func() time.Time { return now }})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkFeed makes each feed of 30 full articles, bypassing the page
// cache. Run with go test -run '^$' -bench Feed ./internal/site/
func BenchmarkFeed(b *testing.B) {
	s := newBenchFixture(b, 200)
	mux := http.NewServeMux()
	s.feedRoutes(mux, func(h http.Handler) http.Handler { return h })
	for _, p := range []string{"/feed/rss", "/feed/atom", "/feed/json"} {
		b.Run(strings.TrimPrefix(p, "/feed/"), func(b *testing.B) {
			var size int
			for b.Loop() {
				rec := httptest.NewRecorder()
				mux.ServeHTTP(rec, httptest.NewRequest("GET", p, nil))
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
				size = rec.Body.Len()
			}
			b.ReportMetric(float64(size), "bytes")
		})
	}
}
