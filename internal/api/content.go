package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"byline/internal/news"
	"byline/internal/respond"
)

// SectionRef names an article's section.
type SectionRef struct {
	ID   int64  `json:"id"`
	Path string `json:"path"`
	Name string `json:"name"`
	URL  string `json:"url"`
}

// AuthorRef is an author in a byline.
type AuthorRef struct {
	Slug  string `json:"slug"`
	Name  string `json:"name"`
	Title string `json:"title,omitempty"`
	URL   string `json:"url"`
}

// ArticleItem is an article in lists.
type ArticleItem struct {
	ID          int64       `json:"id"`
	URL         string      `json:"url"`
	Headline    string      `json:"headline"`
	Dek         string      `json:"dek"`
	Section     SectionRef  `json:"section"`
	Authors     []AuthorRef `json:"authors"`
	Tags        []string    `json:"tags"`
	PublishedAt time.Time   `json:"published_at"`
	UpdatedAt   time.Time   `json:"updated_at"`
	Image       *news.Image `json:"image"`
	Breaking    bool        `json:"breaking"`
	Top         bool        `json:"top"`
	// fields are the public plain fields not named above (fields.go).
	fields []fieldValue
}

func (it ArticleItem) MarshalJSON() ([]byte, error) {
	type plain ArticleItem
	b, err := json.Marshal(plain(it))
	return withFields(b, err, it.fields)
}

// CorrectionItem is a public note on an article.
type CorrectionItem struct {
	Kind      string    `json:"kind"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// ArticleDetail is one article with its body.
type ArticleDetail struct {
	ArticleItem
	ArticleText
}

// ArticleText is what an article's detail adds to its list item.
type ArticleText struct {
	Dateline     string           `json:"dateline,omitempty"`
	BodyMarkdown string           `json:"body_markdown"`
	BodyHTML     string           `json:"body_html"`
	Corrections  []CorrectionItem `json:"corrections"`
}

// MarshalJSON is the item's object, then the text's fields.
func (d ArticleDetail) MarshalJSON() ([]byte, error) {
	item, err := d.ArticleItem.MarshalJSON()
	if err != nil {
		return nil, err
	}
	text, err := json.Marshal(d.ArticleText)
	if err != nil {
		return nil, err
	}
	item = bytes.TrimSuffix(item, []byte("}"))
	if len(text) > 2 {
		item = append(item, ',')
	}
	return append(item, text[1:]...), nil
}

// ArticleList is a page of articles; NextCursor is empty on the last.
type ArticleList struct {
	Items      []ArticleItem `json:"items"`
	NextCursor string        `json:"next_cursor,omitempty"`
}

// AppendJSON appends the page as encoding/json writes it (HTML escaped,
// compact) without encoding/json's check and compaction of each item's
// MarshalJSON, which made a page of 20 three times as slow to encode as
// the items' plain fields alone (BenchmarkContentJSON). writeCached
// uses it.
func (l ArticleList) AppendJSON(b []byte) ([]byte, error) {
	b = append(b, `{"items":[`...)
	for i, it := range l.Items {
		if i > 0 {
			b = append(b, ',')
		}
		item, err := it.MarshalJSON()
		if err != nil {
			return nil, err
		}
		b = append(b, item...)
	}
	b = append(b, ']')
	if l.NextCursor != "" {
		c, err := json.Marshal(l.NextCursor)
		if err != nil {
			return nil, err
		}
		b = append(b, `,"next_cursor":`...)
		b = append(b, c...)
	}
	return append(b, '}'), nil
}

// AppendJSON appends the detail as encoding/json writes it (see
// ArticleList.AppendJSON).
func (d ArticleDetail) AppendJSON(b []byte) ([]byte, error) {
	out, err := d.MarshalJSON()
	return append(b, out...), err
}

func (a *API) abs(path string) string { return strings.TrimRight(a.d.BaseURL, "/") + path }

// absImage makes an image's URLs absolute, srcset included.
func (a *API) absImage(img *news.Image) *news.Image {
	if img == nil || img.URL == "" {
		return nil
	}
	c := *img
	if strings.HasPrefix(c.URL, "/") {
		c.URL = a.abs(c.URL)
	}
	if c.SrcSet != "" {
		parts := strings.Split(c.SrcSet, ",")
		for i, p := range parts {
			p = strings.TrimSpace(p)
			if strings.HasPrefix(p, "/") {
				p = a.abs(p)
			}
			parts[i] = p
		}
		c.SrcSet = strings.Join(parts, ", ")
	}
	return &c
}

func (a *API) item(ar news.Article) ArticleItem {
	sec := ar.Section
	if a.d.Tree != nil {
		if s, ok := a.d.Tree().ByID(ar.SectionID); ok {
			sec = s
		}
	}
	it := ArticleItem{ID: ar.ID, URL: a.abs(ar.URL()), Headline: ar.Headline, Dek: ar.Dek,
		Section: SectionRef{ID: ar.SectionID, Path: sec.Path, Name: sec.Name, URL: a.abs(sec.URL())},
		Authors: []AuthorRef{}, Tags: []string{}, PublishedAt: ar.PublishedAt, UpdatedAt: ar.LastModified(),
		Image: a.absImage(ar.Image), Breaking: ar.Breaking, Top: ar.Top, fields: fieldValues(itemFields, &ar)}
	for _, au := range ar.Authors {
		it.Authors = append(it.Authors, AuthorRef{Slug: au.Slug, Name: au.Name, Title: au.Title, URL: a.abs(au.URL())})
	}
	it.Tags = append(it.Tags, ar.Tags...)
	return it
}

// apiError answers a JSON error with a given code.
func apiError(w http.ResponseWriter, status int, code, field, msg string) {
	w.Header().Set("Cache-Control", "no-store")
	respond.JSON(w, status, respond.ErrorBody{Error: respond.ErrorDetail{Code: code, Message: msg, Field: field}})
}

func badParam(w http.ResponseWriter, field, msg string) {
	apiError(w, http.StatusBadRequest, "invalid", field, msg)
}

func notFound(w http.ResponseWriter, what string) {
	apiError(w, http.StatusNotFound, "not_found", "", what+" not found")
}

// writeCached writes v as JSON with an ETag (a hash of the body) and
// public caching; a matching If-None-Match gets 304.
func writeCached(w http.ResponseWriter, r *http.Request, v any) {
	body, err := encodeJSON(v)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "public, max-age=60")
	h.Set("Vary", "Accept-Encoding")
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			if t = strings.TrimSpace(t); t == etag || t == "W/"+etag || t == "*" {
				w.WriteHeader(http.StatusNotModified)
				return
			}
		}
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// jsonAppender is a value that writes its own JSON, exactly as
// encoding/json's Encoder would (compact, HTML escaped, no newline),
// without the Encoder's check and compaction of what MarshalJSON methods
// return.
type jsonAppender interface {
	AppendJSON(b []byte) ([]byte, error)
}

// encodeJSON is v as json.Encoder (HTML escaped) writes it, newline
// included.
func encodeJSON(v any) ([]byte, error) {
	if a, ok := v.(jsonAppender); ok {
		b, err := a.AppendJSON(make([]byte, 0, 8192))
		return append(b, '\n'), err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(true)
	err := enc.Encode(v)
	return buf.Bytes(), err
}

// allowParams refuses query parameters the endpoint does not know, so a
// typo (?secton=) is an error rather than a silently unfiltered list.
func allowParams(w http.ResponseWriter, r *http.Request, names ...string) bool {
	q := r.URL.Query()
	for k, v := range q {
		known := false
		for _, n := range names {
			known = known || k == n
		}
		if !known {
			badParam(w, k, "unknown parameter "+strconv.Quote(k)+"; known: "+strings.Join(names, ", "))
			return false
		}
		if len(v) > 1 {
			badParam(w, k, "parameter "+strconv.Quote(k)+" is given more than once")
			return false
		}
	}
	return true
}

// EncodeCursor makes the opaque cursor after article (publishedAt, id).
func EncodeCursor(c news.Cursor) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(c.PublishedAt.UnixMilli(), 10) + "." + strconv.FormatInt(c.ID, 10)))
}

// DecodeCursor reads a cursor made by EncodeCursor.
func DecodeCursor(s string) (news.Cursor, bool) {
	if len(s) > 64 {
		return news.Cursor{}, false
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return news.Cursor{}, false
	}
	ps, is, ok := strings.Cut(string(b), ".")
	if !ok {
		return news.Cursor{}, false
	}
	p, err1 := strconv.ParseInt(ps, 10, 64)
	id, err2 := strconv.ParseInt(is, 10, 64)
	if err1 != nil || err2 != nil || id <= 0 || p < 0 {
		return news.Cursor{}, false
	}
	return news.Cursor{PublishedAt: time.UnixMilli(p).UTC(), ID: id}, true
}

// parseTime accepts RFC 3339 times and plain dates (midnight UTC).
func parseTime(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, true
	}
	return time.Time{}, false
}

func (a *API) ListArticles(w http.ResponseWriter, r *http.Request) {
	if !allowParams(w, r, "section", "tag", "author", "since", "until", "limit", "cursor") {
		return
	}
	q := r.URL.Query()
	cq := news.CursorQuery{Now: a.d.Now(), Limit: 20}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			badParam(w, "limit", "limit must be a number from 1 to 100")
			return
		}
		cq.Limit = n
	}
	if v := q.Get("section"); v != "" {
		tree := a.d.Tree()
		sec, ok := tree.ByPath(v)
		if !ok {
			badParam(w, "section", "no section has the path "+strconv.Quote(v)+" (see /api/v1/sections)")
			return
		}
		cq.SectionIDs = tree.Subtree(sec.ID)
	}
	if v := q.Get("tag"); v != "" {
		cq.Tag = news.NormalizeTag(v)
	}
	if v := q.Get("author"); v != "" {
		au, err := a.d.Store.AuthorBySlug(r.Context(), v)
		if news.IsNotFound(err) {
			badParam(w, "author", "no author has the slug "+strconv.Quote(v)+" (see /api/v1/authors)")
			return
		}
		if err != nil {
			respond.Error(w, r, err)
			return
		}
		cq.AuthorID = au.ID
	}
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"since", &cq.Since}, {"until", &cq.Until}} {
		if v := q.Get(p.name); v != "" {
			t, ok := parseTime(v)
			if !ok {
				badParam(w, p.name, p.name+" must be a date (2026-01-31) or an RFC 3339 time (2026-01-31T09:00:00Z)")
				return
			}
			*p.dst = t
		}
	}
	if v := q.Get("cursor"); v != "" {
		c, ok := DecodeCursor(v)
		if !ok {
			badParam(w, "cursor", "cursor is not one this API gave out; start again without it")
			return
		}
		cq.After = &c
	}
	// One more than asked tells whether a next page exists.
	want := cq.Limit
	cq.Limit++
	list, err := a.d.Store.ListVisibleAfter(r.Context(), cq)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	out := ArticleList{Items: []ArticleItem{}}
	if len(list) > want {
		list = list[:want]
		last := list[len(list)-1]
		out.NextCursor = EncodeCursor(news.Cursor{PublishedAt: last.PublishedAt, ID: last.ID})
	}
	for _, ar := range list {
		out.Items = append(out.Items, a.item(ar))
	}
	writeCached(w, r, out)
}

// visibleArticle loads an article readers may see, or not-found.
func (a *API) visibleArticle(ctx context.Context, id int64) (news.Article, error) {
	ar, err := a.d.Store.ArticleByID(ctx, id)
	if err != nil {
		return ar, err
	}
	if !ar.Visible(a.d.Now()) {
		return ar, news.NotFound("article")
	}
	return ar, nil
}

func (a *API) GetArticle(w http.ResponseWriter, r *http.Request) {
	if !allowParams(w, r) {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		notFound(w, "article")
		return
	}
	ar, err := a.visibleArticle(r.Context(), id)
	if news.IsNotFound(err) {
		notFound(w, "article")
		return
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	d := ArticleDetail{ArticleItem: a.item(ar), ArticleText: ArticleText{Dateline: ar.Dateline, BodyMarkdown: ar.Body, BodyHTML: string(a.d.Markup.HTML(ar.Body)),
		Corrections: []CorrectionItem{}}}
	for _, c := range ar.Corrections {
		d.Corrections = append(d.Corrections, CorrectionItem{Kind: string(c.Kind), Body: c.Body, CreatedAt: c.CreatedAt})
	}
	writeCached(w, r, d)
}

// SectionNode is a section with its children.
type SectionNode struct {
	ID          int64         `json:"id"`
	Slug        string        `json:"slug"`
	Path        string        `json:"path"`
	Name        string        `json:"name"`
	Description string        `json:"description,omitempty"`
	URL         string        `json:"url"`
	Children    []SectionNode `json:"children"`
}

func (a *API) ListSections(w http.ResponseWriter, r *http.Request) {
	if !allowParams(w, r) {
		return
	}
	tree := a.d.Tree()
	var build func(id int64, depth int) []SectionNode
	build = func(id int64, depth int) []SectionNode {
		out := []SectionNode{}
		if depth > 32 {
			return out
		}
		for _, s := range tree.Children(id) {
			out = append(out, SectionNode{ID: s.ID, Slug: s.Slug, Path: s.Path, Name: s.Name, Description: s.Description,
				URL: a.abs(s.URL()), Children: build(s.ID, depth+1)})
		}
		return out
	}
	writeCached(w, r, struct {
		Items []SectionNode `json:"items"`
	}{build(0, 0)})
}

// AuthorItem is an author's public profile (the e-mail stays private).
type AuthorItem struct {
	Slug     string      `json:"slug"`
	Name     string      `json:"name"`
	Title    string      `json:"title,omitempty"`
	Bio      string      `json:"bio,omitempty"`
	Photo    *news.Image `json:"photo"`
	URL      string      `json:"url"`
	Articles string      `json:"articles"` // API list of their articles
}

func (a *API) author(au news.Author) AuthorItem {
	return AuthorItem{Slug: au.Slug, Name: au.Name, Title: au.Title, Bio: au.Bio, Photo: a.absImage(au.Photo), URL: a.abs(au.URL()),
		Articles: a.abs("/api/v1/articles?author=" + au.Slug)}
}

func (a *API) ListAuthors(w http.ResponseWriter, r *http.Request) {
	if !allowParams(w, r) {
		return
	}
	list, err := a.d.Store.ListAuthors(r.Context())
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	out := struct {
		Items []AuthorItem `json:"items"`
	}{[]AuthorItem{}}
	for _, au := range list {
		out.Items = append(out.Items, a.author(au))
	}
	writeCached(w, r, out)
}

func (a *API) GetAuthor(w http.ResponseWriter, r *http.Request) {
	if !allowParams(w, r) {
		return
	}
	slug := r.PathValue("slug")
	if !news.ValidSlug(slug) {
		notFound(w, "author")
		return
	}
	au, err := a.d.Store.AuthorBySlug(r.Context(), slug)
	if news.IsNotFound(err) {
		notFound(w, "author")
		return
	}
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	writeCached(w, r, a.author(au))
}

// TagItem is a tag with the number of visible articles that carry it.
type TagItem struct {
	Tag   string `json:"tag"`
	Count int    `json:"count"`
	URL   string `json:"url"`
}

func (a *API) ListTags(w http.ResponseWriter, r *http.Request) {
	if !allowParams(w, r, "limit") {
		return
	}
	limit := 100
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			badParam(w, "limit", "limit must be a number from 1 to 1000")
			return
		}
		limit = n
	}
	tags, err := a.d.Store.ListTags(r.Context(), limit)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	out := struct {
		Items []TagItem `json:"items"`
	}{[]TagItem{}}
	for _, t := range tags {
		out.Items = append(out.Items, TagItem{Tag: t.Tag, Count: t.Count, URL: a.abs(news.TagURL(t.Tag))})
	}
	writeCached(w, r, out)
}
