package site

import (
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"byline/internal/markup"
	"byline/internal/news"
)

// ArticlePage is the data of article.html and print.html.
type ArticlePage struct {
	Base
	Article news.Article
	Body    template.HTML
	Crumbs  []Crumb
	Updated bool
	Related []news.Article
	Share   ShareLinks
	// StoryBox is the running story the article is in (nil: none).
	StoryBox *StoryBoxView
	// CommentLang is the comment box's language asked for in the address
	// (?lang=ko or ?lang=en), drawn by the server so that the box is in
	// that language without a script; "" draws it in English and lets
	// the script choose (the reader's cookie).
	CommentLang string
}

// ShareLinks are plain web-intent links: no third-party script runs.
type ShareLinks struct{ X, Facebook, Email string }

// loadArticle finds a visible article by the {id} of the path, or answers
// 404 (drafts, embargoed and future articles do not exist for readers).
func (s *Site) loadArticle(w http.ResponseWriter, r *http.Request) (news.Article, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.NotFound(w, r)
		return news.Article{}, false
	}
	a, err := s.store.ArticleByID(r.Context(), id)
	if err != nil {
		s.Error(w, r, err)
		return a, false
	}
	if !a.Visible(s.now()) {
		s.NotFound(w, r)
		return a, false
	}
	if sec, ok := s.Tree().ByID(a.SectionID); ok {
		a.Section = sec
	}
	return a, true
}

func (s *Site) articlePage(r *http.Request, a news.Article, box *StoryBoxView) ArticlePage {
	tree := s.Tree()
	desc := a.SEODescription
	if desc == "" {
		desc = a.Dek
	}
	if desc == "" {
		desc = markup.Summary(a.BodyText, 160)
	}
	title := a.SEOTitle
	if title == "" {
		title = a.Headline
	}
	p := ArticlePage{Base: s.base(title, desc, a.URL()), Article: a, Body: s.md.HTML(a.Body),
		Crumbs: s.crumbsFor(tree, a.SectionID, true)}
	p.Updated = !a.UpdatedAt.IsZero() && a.UpdatedAt.Sub(a.PublishedAt) > 60e9
	p.Current = strings.SplitN(a.Section.Path, "/", 2)[0]
	abs := s.abs(a.URL())
	p.Share = ShareLinks{
		X:        "https://twitter.com/intent/tweet?" + url.Values{"text": {a.Headline}, "url": {abs}}.Encode(),
		Facebook: "https://www.facebook.com/sharer/sharer.php?" + url.Values{"u": {abs}}.Encode(),
		Email:    "mailto:?" + strings.ReplaceAll(url.Values{"subject": {a.Headline}, "body": {a.Headline + "\n" + abs}}.Encode(), "+", "%20"),
	}
	og := &OpenGraph{Type: "article", Title: a.Headline, Description: desc, URL: abs,
		Published: a.PublishedAt.Format(timeRFC3339), Modified: a.LastModified().Format(timeRFC3339), Section: a.Section.Name, Tags: a.Tags}
	if a.Image != nil {
		og.Image, og.ImageAlt = s.absURL(a.Image.URL), a.Image.Alt
	}
	p.OG = og
	var partOf ldThing
	if box != nil {
		p.StoryBox, partOf = box, s.isPartOfLD(box.Story)
	}
	p.JSONLD = append(p.JSONLD, s.newsArticleLD(a, desc, partOf), s.breadcrumbLD(p.Crumbs, a.URL()))
	return p
}

// Preview writes the article page of an unsaved article (the editor's
// fields) through the same code as the published page: the same page
// data, template, language, date formats, breadcrumbs, bylines,
// corrections and (for an article already stored) its running story's
// box. It says "Preview" above the article, is marked not to be indexed
// and carries no canonical link, sharing cards or structured data, since
// it has no public address yet.
func (s *Site) Preview(w io.Writer, r *http.Request, a news.Article) error {
	if sec, ok := s.Tree().ByID(a.SectionID); ok {
		a.Section = sec
	}
	var box *StoryBoxView
	if a.ID != 0 {
		box = s.storyBox(r, a)
	}
	p := s.articlePage(r, a, box)
	p.Title = "Preview: " + a.Headline
	p.Robots = "noindex, nofollow"
	p.BodyClass = "preview"
	p.Preview = true
	p.Canonical, p.OG, p.JSONLD = "", nil, nil
	return s.pages.Render(w, "article", p)
}

const timeRFC3339 = "2006-01-02T15:04:05Z07:00"

// absURL makes a media URL absolute unless it already is.
func (s *Site) absURL(u string) string {
	if strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
		return u
	}
	return s.abs(u)
}

func (s *Site) Article(w http.ResponseWriter, r *http.Request) {
	a, ok := s.loadArticle(w, r)
	if !ok {
		return
	}
	if r.PathValue("slug") != a.Slug {
		http.Redirect(w, r, a.URL(), http.StatusMovedPermanently)
		return
	}
	p := s.articlePage(r, a, s.storyBox(r, a))
	p.Related = s.related(r, a)
	if l := r.URL.Query().Get("lang"); l == "en" || l == "ko" {
		p.CommentLang = l
	}
	s.html(w, r, http.StatusOK, "article", p, a.LastModified())
}

func (s *Site) ArticlePrint(w http.ResponseWriter, r *http.Request) {
	a, ok := s.loadArticle(w, r)
	if !ok {
		return
	}
	if r.PathValue("slug") != a.Slug {
		http.Redirect(w, r, a.PrintURL(), http.StatusMovedPermanently)
		return
	}
	p := s.articlePage(r, a, nil)
	p.Robots = "noindex, follow"
	s.html(w, r, http.StatusOK, "print", p, a.LastModified())
}

// ArticleShort redirects /article/{id} to the canonical URL.
func (s *Site) ArticleShort(w http.ResponseWriter, r *http.Request) {
	if a, ok := s.loadArticle(w, r); ok {
		http.Redirect(w, r, a.URL(), http.StatusMovedPermanently)
	}
}

// related picks up to four other visible articles that share the first
// tag, then the section.
func (s *Site) related(r *http.Request, a news.Article) []news.Article {
	var out []news.Article
	seen := map[int64]bool{a.ID: true}
	add := func(q news.ArticleQuery) {
		q.Limit, q.Now, q.SkipTotal = 8, s.now(), true
		list, err := s.store.ListArticles(r.Context(), q)
		if err != nil {
			s.logger.WarnContext(r.Context(), "related articles", "err", err)
			return
		}
		for _, x := range list.Articles {
			if !seen[x.ID] && len(out) < 4 {
				seen[x.ID] = true
				out = append(out, x)
			}
		}
	}
	for _, t := range a.Tags {
		if len(out) < 4 {
			add(news.ArticleQuery{Tag: t})
		}
	}
	if len(out) < 4 {
		add(news.ArticleQuery{SectionIDs: []int64{a.SectionID}})
	}
	return out
}
