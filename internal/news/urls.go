package news

import (
	"net/url"
	"strconv"
)

// Public URL paths of reader pages. They live here, beside the types,
// so that pages, feeds, sitemaps, APIs and the newsroom all agree.

// URL is the article's canonical path: /article/{id}/{slug}. The id keeps
// it stable; a changed slug redirects to the new canonical path.
func (a Article) URL() string {
	return "/article/" + strconv.FormatInt(a.ID, 10) + "/" + a.Slug
}

// PrintURL is the article's print view.
func (a Article) PrintURL() string { return a.URL() + "/print" }

// URL is the section's front page.
func (s Section) URL() string { return "/section/" + s.Path }

// URL is the author's page.
func (a Author) URL() string { return "/author/" + a.Slug }

// TagURL is a tag's page: one for every way of writing it ("Seoul",
// "seoul").
func TagURL(tag string) string { return "/tag/" + url.PathEscape(NormalizeTag(tag)) }
