package site

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html/template"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	xhtml "golang.org/x/net/html"

	"byline/internal/markup"
	"byline/internal/news"
)

// Feeds of the whole paper and of each section subtree, in three formats
// (RSS 2.0, Atom 1.0, JSON Feed 1.1) built from one model so that they
// always agree. Each carries the newest visible articles with their full,
// sanitized HTML, so that a feed reader shows the story without a visit.

const feedSize = 30

// Namespaces the feeds and sitemaps use.
const (
	nsAtom    = "http://www.w3.org/2005/Atom"
	nsContent = "http://purl.org/rss/1.0/modules/content/"
	nsDC      = "http://purl.org/dc/elements/1.1/"
	nsMedia   = "http://search.yahoo.com/mrss/"
)

// Content types of the answers.
const (
	typeRSS  = "application/rss+xml; charset=utf-8"
	typeAtom = "application/atom+xml; charset=utf-8"
	typeJSON = "application/feed+json; charset=utf-8"
	typeXML  = "application/xml; charset=utf-8"
)

// feedCacheControl lets browsers revalidate every time and shared caches
// keep an answer five minutes: feed readers poll, and a new story may
// wait that long.
const feedCacheControl = "public, max-age=0, s-maxage=300"

// FeedFormat is one of the three feed formats (RSS, Atom, JSON Feed).
type FeedFormat int

const (
	FeedRSS FeedFormat = iota
	FeedAtom
	FeedJSON
)

// Name is the format's path segment: /feed/{name}.
func (f FeedFormat) Name() string {
	switch f {
	case FeedAtom:
		return "atom"
	case FeedJSON:
		return "json"
	}
	return "rss"
}

// feedModel is what every format is made from.
type feedModel struct {
	Title, Description string
	PageURL, SelfURL   string // absolute
	Updated            time.Time
	Items              []feedItem
}

type feedItem struct {
	ID, URL, Title   string
	Summary, Content string // Content is sanitized HTML with absolute URLs
	Published        time.Time
	Updated          time.Time
	Authors          []feedPerson
	Section          news.Section
	SectionURL       string
	Tags             []string
	Image            *news.Image // URL made absolute
}

type feedPerson struct{ Name, URL string }

// Feed answers /feed/{format} and /feed/{format}/{section path}.
func (s *Site) Feed(format FeedFormat) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := r.PathValue("path")
		if strings.HasSuffix(r.URL.Path, "/") {
			to := "/feed/" + format.Name()
			if p = strings.Trim(p, "/"); p != "" {
				to += "/" + p
			}
			http.Redirect(w, r, to, http.StatusMovedPermanently)
			return
		}
		m, ok := s.feedModel(w, r, format, p)
		if !ok {
			return
		}
		var (
			body []byte
			err  error
			ct   string
		)
		switch format {
		case FeedAtom:
			body, err = s.atom(m)
			ct = typeAtom
		case FeedJSON:
			body, err = s.jsonFeed(m)
			ct = typeJSON
		default:
			body, err = s.rss(m)
			ct = typeRSS
		}
		if err != nil {
			s.Error(w, r, err)
			return
		}
		var lastMod time.Time
		if len(m.Items) > 0 {
			lastMod = m.Updated
		}
		s.sendFeed(w, ct, body, lastMod)
	}
}

// sendFeed writes a feed, sitemap or other machine-read document with
// the headers every one of them shares.
func (s *Site) sendFeed(w http.ResponseWriter, contentType string, body []byte, lastMod time.Time) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Cache-Control", feedCacheControl)
	if !lastMod.IsZero() {
		h.Set("Last-Modified", lastMod.UTC().Format(http.TimeFormat))
	}
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// feedModel loads the newest visible articles of the paper (sectionPath
// "") or of a section subtree. An unknown section is the site's 404.
func (s *Site) feedModel(w http.ResponseWriter, r *http.Request, format FeedFormat, sectionPath string) (feedModel, bool) {
	tree := s.Tree()
	q := news.ArticleQuery{Limit: feedSize, Now: s.now(), WithBody: true, SkipTotal: true}
	m := feedModel{Title: s.cfg.Name, Description: s.cfg.Tagline, PageURL: s.abs("/"), SelfURL: s.abs("/feed/" + format.Name())}
	if sectionPath != "" {
		sec, ok := tree.ByPath(sectionPath)
		if !ok || sec.Path != sectionPath {
			s.NotFound(w, r)
			return m, false
		}
		q.SectionIDs = tree.Subtree(sec.ID)
		m.Title = sec.Name + " | " + s.cfg.Name
		m.Description = sec.Description
		if m.Description == "" {
			m.Description = "The latest " + sec.Name + " news from " + s.cfg.Name + "."
		}
		m.PageURL = s.abs(sec.URL())
		m.SelfURL += "/" + sec.Path
	}
	if m.Description == "" {
		m.Description = "The latest news from " + s.cfg.Name + "."
	}
	list, err := s.store.ListArticles(r.Context(), q)
	if err != nil {
		s.Error(w, r, err)
		return m, false
	}
	if err := s.attachCorrections(r.Context(), list.Articles, feedCorrections); err != nil {
		s.Error(w, r, err)
		return m, false
	}
	for _, a := range list.Articles {
		if sec, ok := tree.ByID(a.SectionID); ok {
			a.Section = sec
		}
		m.Items = append(m.Items, s.feedItem(a))
	}
	m.Updated = latestChange(list.Articles)
	if m.Updated.IsZero() {
		// An empty feed still needs a date (Atom requires one); a fixed
		// one keeps the answer the same until something is published.
		m.Updated = time.Unix(0, 0)
	}
	return m, true
}

func (s *Site) feedItem(a news.Article) feedItem {
	it := feedItem{
		ID:         s.tagURI(a),
		URL:        s.abs(a.URL()),
		Title:      a.Headline,
		Summary:    articleSummary(a),
		Content:    absolutizeHTML(string(s.md.HTML(a.Body)), s.cfg.BaseURL) + correctionsHTML(a.Corrections, s.cfg.Location),
		Published:  a.PublishedAt,
		Updated:    a.LastModified(),
		Section:    a.Section,
		SectionURL: s.abs(a.Section.URL()),
		Tags:       a.Tags,
	}
	for _, au := range a.Authors {
		it.Authors = append(it.Authors, feedPerson{Name: au.Name, URL: s.abs(au.URL())})
	}
	if a.Image != nil && a.Image.URL != "" {
		img := *a.Image
		img.URL = s.absURL(img.URL)
		it.Image = &img
	}
	return it
}

// feedCorrections is how many of the newest public notes a feed reads:
// enough to cover its 30 articles in all but odd cases.
const feedCorrections = 500

// attachCorrections gives the articles of a list (which come without
// them) their public notes, from the newest most notes of the paper, so
// that a correction counts as a change (Atom updated, sitemap lastmod)
// and reaches feed readers.
func (s *Site) attachCorrections(ctx context.Context, list []news.Article, most int) error {
	if len(list) == 0 {
		return nil
	}
	idx := make(map[int64]int, len(list))
	for i, a := range list {
		idx[a.ID] = i
	}
	const chunk = 500 // the most ListCorrections returns at once
	for off := 0; off < most; off += chunk {
		cs, err := s.store.ListCorrections(ctx, min(chunk, most-off), off)
		if err != nil {
			return fmt.Errorf("load corrections: %w", err)
		}
		// Newest first: prepend to keep each article's notes in order.
		for _, c := range cs {
			if i, ok := idx[c.ArticleID]; ok {
				list[i].Corrections = append([]news.Correction{c}, list[i].Corrections...)
			}
		}
		if len(cs) < min(chunk, most-off) {
			break
		}
	}
	return nil
}

// correctionsHTML is the article page's list of corrections and updates.
func correctionsHTML(cs []news.Correction, loc *time.Location) string {
	if len(cs) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n<h2>Corrections and updates</h2>\n<ul>")
	for _, c := range cs {
		kind := "Correction"
		if c.Kind == news.KindUpdate {
			kind = "Update"
		}
		b.WriteString("<li><strong>" + kind + ", " + c.CreatedAt.In(loc).Format("January 2, 2006") + ":</strong> " + template.HTMLEscapeString(c.Body) + "</li>")
	}
	b.WriteString("</ul>\n")
	return b.String()
}

// articleSummary is the short description of an article: its dek, else
// its SEO description, else the start of its text.
func articleSummary(a news.Article) string {
	switch {
	case a.Dek != "":
		return a.Dek
	case a.SEODescription != "":
		return a.SEODescription
	}
	return markup.Summary(a.BodyText, 280)
}

// tagURI is the article's permanent id (RFC 4151): unlike its URL it does
// not change when the slug or section does. The date is the day the
// article was created, which never changes either.
func (s *Site) tagURI(a news.Article) string {
	host := "localhost"
	if u, err := url.Parse(s.cfg.BaseURL); err == nil && u.Hostname() != "" {
		host = strings.ToLower(u.Hostname())
	}
	day := a.CreatedAt
	if day.IsZero() {
		day = a.PublishedAt
	}
	return "tag:" + host + "," + day.UTC().Format("2006-01-02") + ":article/" + strconv.FormatInt(a.ID, 10)
}

// absolutizeHTML makes root-relative href, src and srcset URLs of
// sanitized HTML absolute: a feed is read away from the site, where
// "/media/x.jpg" means nothing.
func absolutizeHTML(h, base string) string {
	if !strings.Contains(h, `="/`) && !strings.Contains(h, "srcset") {
		return h
	}
	abs := func(u string) string {
		if strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//") {
			return base + u
		}
		return u
	}
	var out strings.Builder
	z := xhtml.NewTokenizer(strings.NewReader(h))
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			break
		}
		if tt != xhtml.StartTagToken && tt != xhtml.SelfClosingTagToken {
			out.Write(z.Raw())
			continue
		}
		tok := z.Token()
		for i, at := range tok.Attr {
			switch at.Key {
			case "href", "src":
				tok.Attr[i].Val = abs(at.Val)
			case "srcset":
				parts := strings.Split(at.Val, ",")
				for j, p := range parts {
					p = strings.TrimSpace(p)
					u, rest, _ := strings.Cut(p, " ")
					parts[j] = strings.TrimSpace(abs(u) + " " + rest)
				}
				tok.Attr[i].Val = strings.Join(parts, ", ")
			}
		}
		out.WriteString(tok.String())
	}
	return out.String()
}

// xmlSafe drops characters XML 1.0 forbids (most C0 controls), which
// CDATA sections would otherwise carry through.
func xmlSafe(s string) string {
	ok := func(r rune) bool {
		return r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
	}
	clean := true
	for _, r := range s {
		if !ok(r) {
			clean = false
			break
		}
	}
	if clean && utf8.ValidString(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == utf8.RuneError || !ok(r) {
			return -1
		}
		return r
	}, s)
}

// imageType guesses a lead image's media type from its file name.
func imageType(u string) string {
	if p, err := url.Parse(u); err == nil {
		u = p.Path
	}
	t := mime.TypeByExtension(strings.ToLower(path.Ext(u)))
	if !strings.HasPrefix(t, "image/") {
		return ""
	}
	return t
}

func rfc1123(t time.Time) string { return t.UTC().Format(time.RFC1123Z) }
func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func marshalXML(v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// ---- RSS 2.0 (https://www.rssboard.org/rss-specification) ----

type rssDoc struct {
	XMLName   xml.Name   `xml:"rss"`
	Version   string     `xml:"version,attr"`
	NSAtom    string     `xml:"xmlns:atom,attr"`
	NSContent string     `xml:"xmlns:content,attr"`
	NSDC      string     `xml:"xmlns:dc,attr"`
	NSMedia   string     `xml:"xmlns:media,attr"`
	Channel   rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language"`
	LastBuildDate string    `xml:"lastBuildDate"`
	Generator     string    `xml:"generator"`
	Docs          string    `xml:"docs"`
	TTL           int       `xml:"ttl"`
	Self          atomLink  `xml:"atom:link"`
	Image         rssImage  `xml:"image"`
	Items         []rssItem `xml:"item"`
}

type rssImage struct {
	URL   string `xml:"url"`
	Title string `xml:"title"`
	Link  string `xml:"link"`
}

type rssItem struct {
	Title       string        `xml:"title"`
	Link        string        `xml:"link"`
	Description string        `xml:"description"`
	Content     cdata         `xml:"content:encoded"`
	Creators    []string      `xml:"dc:creator"`
	Categories  []rssCategory `xml:"category"`
	GUID        rssGUID       `xml:"guid"`
	PubDate     string        `xml:"pubDate"`
	Media       *mediaContent `xml:"media:content,omitempty"`
}

type rssGUID struct {
	IsPermaLink bool   `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type rssCategory struct {
	Domain string `xml:"domain,attr,omitempty"`
	Value  string `xml:",chardata"`
}

type cdata struct {
	Value string `xml:",cdata"`
}

// mediaContent is Media RSS's description of the lead image, which feed
// readers show as the story's picture.
type mediaContent struct {
	URL         string     `xml:"url,attr"`
	Medium      string     `xml:"medium,attr"`
	Type        string     `xml:"type,attr,omitempty"`
	Width       int        `xml:"width,attr,omitempty"`
	Height      int        `xml:"height,attr,omitempty"`
	Description *mediaText `xml:"media:description,omitempty"`
	Credit      string     `xml:"media:credit,omitempty"`
}

type mediaText struct {
	Type  string `xml:"type,attr"`
	Value string `xml:",chardata"`
}

func media(img *news.Image) *mediaContent {
	if img == nil {
		return nil
	}
	m := &mediaContent{URL: img.URL, Medium: "image", Type: imageType(img.URL), Width: img.Width, Height: img.Height, Credit: img.Credit}
	desc := img.Caption
	if desc == "" {
		desc = img.Alt
	}
	if desc != "" {
		m.Description = &mediaText{Type: "plain", Value: desc}
	}
	return m
}

func (s *Site) rss(m feedModel) ([]byte, error) {
	doc := rssDoc{Version: "2.0", NSAtom: nsAtom, NSContent: nsContent, NSDC: nsDC, NSMedia: nsMedia,
		Channel: rssChannel{
			Title: m.Title, Link: m.PageURL, Description: m.Description, Language: s.cfg.Lang,
			LastBuildDate: rfc1123(m.Updated), Generator: "Byline", Docs: "https://www.rssboard.org/rss-specification", TTL: 5,
			Self:  atomLink{Href: m.SelfURL, Rel: "self", Type: strings.Split(typeRSS, ";")[0]},
			Image: rssImage{URL: s.abs(s.pages.AssetURL("logo.png")), Title: m.Title, Link: m.PageURL},
		}}
	for _, it := range m.Items {
		ri := rssItem{Title: it.Title, Link: it.URL, Description: it.Summary, Content: cdata{xmlSafe(it.Content)},
			GUID: rssGUID{Value: it.ID}, PubDate: rfc1123(it.Published), Media: media(it.Image)}
		for _, au := range it.Authors {
			ri.Creators = append(ri.Creators, au.Name)
		}
		ri.Categories = append(ri.Categories, rssCategory{Domain: it.SectionURL, Value: it.Section.Name})
		for _, t := range it.Tags {
			ri.Categories = append(ri.Categories, rssCategory{Domain: s.abs(news.TagURL(t)), Value: t})
		}
		doc.Channel.Items = append(doc.Channel.Items, ri)
	}
	return marshalXML(doc)
}

// ---- Atom 1.0 (RFC 4287) ----

type atomFeed struct {
	XMLName   xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang      string      `xml:"xml:lang,attr"`
	NSMedia   string      `xml:"xmlns:media,attr"`
	ID        string      `xml:"id"`
	Title     atomText    `xml:"title"`
	Subtitle  atomText    `xml:"subtitle"`
	Updated   string      `xml:"updated"`
	Links     []atomLink  `xml:"link"`
	Author    atomPerson  `xml:"author"`
	Generator string      `xml:"generator"`
	Icon      string      `xml:"icon"`
	Logo      string      `xml:"logo"`
	Entries   []atomEntry `xml:"entry"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      atomText       `xml:"title"`
	Links      []atomLink     `xml:"link"`
	Published  string         `xml:"published"`
	Updated    string         `xml:"updated"`
	Authors    []atomPerson   `xml:"author"`
	Categories []atomCategory `xml:"category"`
	Summary    atomText       `xml:"summary"`
	Content    atomHTML       `xml:"content"`
	Media      *mediaContent  `xml:"media:content,omitempty"`
}

type atomText struct {
	Type  string `xml:"type,attr"`
	Value string `xml:",chardata"`
}

type atomHTML struct {
	Type  string `xml:"type,attr"`
	Value string `xml:",cdata"`
}

type atomLink struct {
	Href  string `xml:"href,attr"`
	Rel   string `xml:"rel,attr,omitempty"`
	Type  string `xml:"type,attr,omitempty"`
	Title string `xml:"title,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomCategory struct {
	Term   string `xml:"term,attr"`
	Scheme string `xml:"scheme,attr,omitempty"`
	Label  string `xml:"label,attr,omitempty"`
}

func (s *Site) atom(m feedModel) ([]byte, error) {
	f := atomFeed{Lang: s.cfg.Lang, NSMedia: nsMedia, ID: m.PageURL, Title: atomText{"text", m.Title}, Subtitle: atomText{"text", m.Description},
		Updated: rfc3339(m.Updated),
		Links: []atomLink{{Href: m.SelfURL, Rel: "self", Type: "application/atom+xml"},
			{Href: m.PageURL, Rel: "alternate", Type: "text/html"}},
		Author: atomPerson{Name: s.cfg.Name, URI: s.abs("/")}, Generator: "Byline",
		Icon: s.abs(s.pages.AssetURL("favicon.svg")), Logo: s.abs(s.pages.AssetURL("logo.png"))}
	for _, it := range m.Items {
		e := atomEntry{ID: it.ID, Title: atomText{"text", it.Title},
			Links:     []atomLink{{Href: it.URL, Rel: "alternate", Type: "text/html"}},
			Published: rfc3339(it.Published), Updated: rfc3339(it.Updated),
			Summary: atomText{"text", it.Summary}, Content: atomHTML{"html", xmlSafe(it.Content)}, Media: media(it.Image)}
		if it.Image != nil {
			if t := imageType(it.Image.URL); t != "" {
				e.Links = append(e.Links, atomLink{Href: it.Image.URL, Rel: "enclosure", Type: t, Title: it.Image.Alt})
			}
		}
		for _, au := range it.Authors {
			e.Authors = append(e.Authors, atomPerson{Name: au.Name, URI: au.URL})
		}
		e.Categories = append(e.Categories, atomCategory{Term: it.Section.Path, Scheme: s.abs("/section/"), Label: it.Section.Name})
		for _, t := range it.Tags {
			e.Categories = append(e.Categories, atomCategory{Term: t, Scheme: s.abs("/tag/"), Label: t})
		}
		f.Entries = append(f.Entries, e)
	}
	return marshalXML(f)
}

// ---- JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) ----

type jsonFeedDoc struct {
	Version     string         `json:"version"`
	Title       string         `json:"title"`
	HomePageURL string         `json:"home_page_url"`
	FeedURL     string         `json:"feed_url"`
	Description string         `json:"description,omitempty"`
	Favicon     string         `json:"favicon,omitempty"`
	Language    string         `json:"language,omitempty"`
	Authors     []jsonAuthor   `json:"authors,omitempty"`
	Items       []jsonFeedItem `json:"items"`
}

type jsonFeedItem struct {
	ID            string       `json:"id"`
	URL           string       `json:"url"`
	Title         string       `json:"title"`
	ContentHTML   string       `json:"content_html"`
	Summary       string       `json:"summary,omitempty"`
	Image         string       `json:"image,omitempty"`
	DatePublished string       `json:"date_published"`
	DateModified  string       `json:"date_modified"`
	Authors       []jsonAuthor `json:"authors,omitempty"`
	Tags          []string     `json:"tags,omitempty"`
	Language      string       `json:"language,omitempty"`
}

type jsonAuthor struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

func (s *Site) jsonFeed(m feedModel) ([]byte, error) {
	f := jsonFeedDoc{Version: "https://jsonfeed.org/version/1.1", Title: m.Title, HomePageURL: m.PageURL, FeedURL: m.SelfURL,
		Description: m.Description, Favicon: s.abs(s.pages.AssetURL("favicon.svg")), Language: s.cfg.Lang,
		Authors: []jsonAuthor{{Name: s.cfg.Name, URL: s.abs("/")}}, Items: []jsonFeedItem{}}
	for _, it := range m.Items {
		ji := jsonFeedItem{ID: it.ID, URL: it.URL, Title: it.Title, ContentHTML: it.Content, Summary: it.Summary,
			DatePublished: rfc3339(it.Published), DateModified: rfc3339(it.Updated), Language: s.cfg.Lang}
		if it.Image != nil {
			ji.Image = it.Image.URL
		}
		for _, au := range it.Authors {
			ji.Authors = append(ji.Authors, jsonAuthor(au))
		}
		ji.Tags = append([]string{it.Section.Name}, it.Tags...)
		f.Items = append(f.Items, ji)
	}
	// The feed is never read as HTML, so <, > and & need no \u escapes.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
