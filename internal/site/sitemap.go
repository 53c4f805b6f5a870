package site

import (
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"byline/internal/news"
)

// Sitemaps (https://www.sitemaps.org/protocol.html), the Google News
// sitemap, robots.txt and the OpenSearch description: what crawlers and
// browsers read to find the paper's pages.
//
// Article sitemaps are numbered from the oldest article, so that every
// full file keeps its URLs as new stories arrive (only the last one
// grows) and a crawler that has read it need not read it again.

const (
	nsSitemap = "http://www.sitemaps.org/schemas/sitemap/0.9"
	nsNews    = "http://www.google.com/schemas/sitemap-news/0.9"
	nsImage   = "http://www.google.com/schemas/sitemap-image/1.1"
	nsSearch  = "http://a9.com/-/spec/opensearch/1.1/"
)

const (
	// ArticlesPerSitemap is under the protocol's 50,000 so that a file
	// stays small (about 2.5 MB) and quick to make.
	ArticlesPerSitemap = 10_000
	// newsWindow and newsMax are Google News's rules: only articles of
	// the last two days, at most 1,000 of them.
	newsWindow = 48 * time.Hour
	newsMax    = 1000
	// listChunk is the most a store returns in one ListArticles call.
	listChunk = 1000
	// sitemapCorrections bounds the public notes an article sitemap reads
	// to date its articles' last change.
	sitemapCorrections = 20_000
)

type sitemapIndex struct {
	XMLName  xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []sitemapRef `xml:"sitemap"`
}

type sitemapRef struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type urlSet struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	NSNews  string       `xml:"xmlns:news,attr,omitempty"`
	NSImage string       `xml:"xmlns:image,attr,omitempty"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string         `xml:"loc"`
	LastMod string         `xml:"lastmod,omitempty"`
	News    *newsEntry     `xml:"news:news,omitempty"`
	Images  []sitemapImage `xml:"image:image"`
}

type sitemapImage struct {
	Loc string `xml:"image:loc"`
}

type newsEntry struct {
	Publication     newsPublication `xml:"news:publication"`
	PublicationDate string          `xml:"news:publication_date"`
	Title           string          `xml:"news:title"`
}

type newsPublication struct {
	Name     string `xml:"news:name"`
	Language string `xml:"news:language"`
}

func lastmod(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return rfc3339(t)
}

func (s *Site) sendXML(w http.ResponseWriter, r *http.Request, v any, lastMod time.Time) {
	body, err := marshalXML(v)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.sendFeed(w, typeXML, body, lastMod)
}

// articleSitemaps is how many article sitemaps total articles need.
func articleSitemaps(total, per int) int { return (total + per - 1) / per }

// SitemapIndex answers /sitemap.xml.
func (s *Site) SitemapIndex(per int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		probe, err := s.store.ListArticles(r.Context(), news.ArticleQuery{Limit: perPage, Now: s.now()})
		if err != nil {
			s.Error(w, r, err)
			return
		}
		newest := latestChange(probe.Articles)
		idx := sitemapIndex{Sitemaps: []sitemapRef{
			{Loc: s.abs("/sitemaps/sections.xml"), LastMod: lastmod(newest)},
			{Loc: s.abs("/sitemaps/authors.xml")},
		}}
		for n := 1; n <= articleSitemaps(probe.Total, per); n++ {
			idx.Sitemaps = append(idx.Sitemaps, sitemapRef{Loc: s.abs("/sitemaps/articles-" + strconv.Itoa(n) + ".xml")})
		}
		s.sendXML(w, r, idx, newest)
	}
}

// SitemapFile answers /sitemaps/{file}: sections.xml, authors.xml and
// articles-{n}.xml. Anything else, including n written other than in
// its plain form (0, 01, +1, huge, past the end), is the site's 404.
func (s *Site) SitemapFile(per int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		switch file := r.PathValue("file"); file {
		case "sections.xml":
			s.sectionsSitemap(w, r)
		case "authors.xml":
			s.authorsSitemap(w, r)
		default:
			num, ok := strings.CutPrefix(file, "articles-")
			num, ok2 := strings.CutSuffix(num, ".xml")
			n, err := strconv.Atoi(num)
			if !ok || !ok2 || err != nil || n < 1 || strconv.Itoa(n) != num {
				s.NotFound(w, r)
				return
			}
			s.articlesSitemap(w, r, n, per)
		}
	}
}

// sectionsSitemap lists the front page, every section front and the
// corrections page.
func (s *Site) sectionsSitemap(w http.ResponseWriter, r *http.Request) {
	ctx, now, tree := r.Context(), s.now(), s.Tree()
	// A front changes when one of the stories on its first page does.
	newestIn := func(ids []int64) (time.Time, error) {
		l, err := s.store.ListArticles(ctx, news.ArticleQuery{SectionIDs: ids, Limit: perPage, Now: now})
		return latestChange(l.Articles), err
	}
	home, err := newestIn(nil)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	set := urlSet{URLs: []sitemapURL{{Loc: s.abs("/"), LastMod: lastmod(home)}}}
	for _, sec := range tree.All {
		t, err := newestIn(tree.Subtree(sec.ID))
		if err != nil {
			s.Error(w, r, err)
			return
		}
		set.URLs = append(set.URLs, sitemapURL{Loc: s.abs(sec.URL()), LastMod: lastmod(t)})
	}
	corr, err := s.store.ListCorrections(ctx, 1, 0)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	cu := sitemapURL{Loc: s.abs("/corrections")}
	if len(corr) > 0 {
		cu.LastMod = lastmod(corr[0].CreatedAt)
	}
	set.URLs = append(set.URLs, cu)
	// Running stories: the index and each story page, changed when an
	// entry was last added.
	stories, err := s.store.ListStories(ctx, news.StoryQuery{Limit: 1000})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if len(stories) > 0 {
		idx := sitemapURL{Loc: s.abs("/stories")}
		var newest time.Time
		for _, st := range stories {
			t := maxTime(st.UpdatedAt, st.LastEntryAt)
			newest = maxTime(newest, t)
			set.URLs = append(set.URLs, sitemapURL{Loc: s.abs(st.URL()), LastMod: lastmod(t)})
		}
		idx.LastMod = lastmod(newest)
		set.URLs = append(set.URLs, idx)
	}
	s.sendXML(w, r, set, home)
}

// authorsSitemap lists the pages of authors who have a visible article
// (an author page without one has nothing to index).
func (s *Site) authorsSitemap(w http.ResponseWriter, r *http.Request) {
	ctx, now := r.Context(), s.now()
	authors, err := s.store.ListAuthors(ctx)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	set := urlSet{URLs: []sitemapURL{}}
	var newest time.Time
	for _, au := range authors {
		l, err := s.store.ListArticles(ctx, news.ArticleQuery{AuthorID: au.ID, Limit: perPage, Now: now})
		if err != nil {
			s.Error(w, r, err)
			return
		}
		if l.Total == 0 {
			continue
		}
		t := latestChange(l.Articles)
		if t.After(newest) {
			newest = t
		}
		set.URLs = append(set.URLs, sitemapURL{Loc: s.abs(au.URL()), LastMod: lastmod(t)})
	}
	s.sendXML(w, r, set, newest)
}

// articlesSitemap lists the n-th group of per articles, counted from the
// oldest, with their last change and lead image.
func (s *Site) articlesSitemap(w http.ResponseWriter, r *http.Request, n, per int) {
	ctx, now := r.Context(), s.now()
	probe, err := s.store.ListArticles(ctx, news.ArticleQuery{Limit: 1, Now: now})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	total := probe.Total
	if n > articleSitemaps(total, per) {
		s.NotFound(w, r)
		return
	}
	// Articles come newest first: the n-th group from the oldest is the
	// offsets [total-n*per, total-(n-1)*per) of that order.
	lo, hi := max(0, total-n*per), total-(n-1)*per
	list := make([]news.Article, 0, hi-lo)
	for off := lo; off < hi; {
		l, err := s.store.ListArticles(ctx, news.ArticleQuery{Limit: min(listChunk, hi-off), Offset: off, Now: now, SkipTotal: true})
		if err != nil {
			s.Error(w, r, err)
			return
		}
		if len(l.Articles) == 0 {
			break // articles were unpublished since the count
		}
		list = append(list, l.Articles...)
		off += len(l.Articles)
	}
	if err := s.attachCorrections(ctx, list, sitemapCorrections); err != nil {
		s.Error(w, r, err)
		return
	}
	set := urlSet{NSImage: nsImage, URLs: make([]sitemapURL, 0, len(list))}
	for i := len(list) - 1; i >= 0; i-- {
		set.URLs = append(set.URLs, s.articleURL(list[i]))
	}
	s.sendXML(w, r, set, latestChange(list))
}

func (s *Site) articleURL(a news.Article) sitemapURL {
	u := sitemapURL{Loc: s.abs(a.URL()), LastMod: lastmod(a.LastModified())}
	if a.Image != nil && a.Image.URL != "" {
		u.Images = []sitemapImage{{Loc: s.absURL(a.Image.URL)}}
	}
	return u
}

// NewsSitemap answers /news-sitemap.xml: articles of the last two days
// for Google News.
func (s *Site) NewsSitemap(w http.ResponseWriter, r *http.Request) {
	now := s.now()
	l, err := s.store.ListArticles(r.Context(), news.ArticleQuery{Since: now.Add(-newsWindow), Limit: newsMax, Now: now, SkipTotal: true})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.attachCorrections(r.Context(), l.Articles, feedCorrections); err != nil {
		s.Error(w, r, err)
		return
	}
	set := urlSet{NSNews: nsNews, NSImage: nsImage, URLs: make([]sitemapURL, 0, len(l.Articles))}
	for _, a := range l.Articles {
		u := s.articleURL(a)
		u.News = &newsEntry{Publication: newsPublication{Name: s.cfg.Name, Language: s.cfg.Lang},
			PublicationDate: rfc3339(a.PublishedAt), Title: a.Headline}
		set.URLs = append(set.URLs, u)
	}
	s.sendXML(w, r, set, latestChange(l.Articles))
}

// Robots answers /robots.txt. Print views are matched by their end ($)
// so that a slug that merely starts with "print" stays crawlable.
func (s *Site) Robots(w http.ResponseWriter, r *http.Request) {
	var b strings.Builder
	b.WriteString("# " + strings.ReplaceAll(s.cfg.Name, "\n", " ") + "\n")
	b.WriteString("User-agent: *\n")
	b.WriteString("Allow: /\n")
	for _, p := range []string{"/admin/", "/api/", "/search", "/*/print$"} {
		b.WriteString("Disallow: " + p + "\n")
	}
	b.WriteString("\nSitemap: " + s.abs("/sitemap.xml") + "\n")
	b.WriteString("Sitemap: " + s.abs("/news-sitemap.xml") + "\n")
	s.sendFeed(w, "text/plain; charset=utf-8", []byte(b.String()), time.Time{})
}

type openSearch struct {
	XMLName       xml.Name        `xml:"http://a9.com/-/spec/opensearch/1.1/ OpenSearchDescription"`
	ShortName     string          `xml:"ShortName"`
	Description   string          `xml:"Description"`
	InputEncoding string          `xml:"InputEncoding"`
	Language      string          `xml:"Language"`
	Images        []openSearchImg `xml:"Image"`
	URLs          []openSearchURL `xml:"Url"`
}

type openSearchImg struct {
	Width  int    `xml:"width,attr"`
	Height int    `xml:"height,attr"`
	Type   string `xml:"type,attr"`
	URL    string `xml:",chardata"`
}

type openSearchURL struct {
	Type     string `xml:"type,attr"`
	Method   string `xml:"method,attr,omitempty"`
	Rel      string `xml:"rel,attr,omitempty"`
	Template string `xml:"template,attr"`
}

// OpenSearch answers /opensearch.xml, which lets a browser add the
// paper's search to its own search box.
func (s *Site) OpenSearch(w http.ResponseWriter, r *http.Request) {
	short := s.cfg.Name
	// The specification allows at most 16 characters.
	if utf8.RuneCountInString(short) > 16 {
		short = strings.TrimSpace(string([]rune(short)[:16]))
	}
	d := openSearch{ShortName: short, Description: "Search " + s.cfg.Name, InputEncoding: "UTF-8", Language: s.cfg.Lang,
		Images: []openSearchImg{{Width: 16, Height: 16, Type: "image/svg+xml", URL: s.abs(s.pages.AssetURL("favicon.svg"))}},
		URLs: []openSearchURL{
			{Type: "text/html", Method: "get", Template: s.abs("/search?q={searchTerms}")},
			{Type: "application/opensearchdescription+xml", Rel: "self", Template: s.abs("/opensearch.xml")},
		}}
	body, err := marshalXML(d)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.sendFeed(w, "application/opensearchdescription+xml; charset=utf-8", body, time.Time{})
}
