package newsroom

import (
	"bytes"
	"errors"
	"net/http"
	"slices"
	"strconv"

	"byline/internal/editorial"
	"byline/internal/news"
)

// Preview renders the editor's unsaved fields through the published
// article page's code (site.Preview): the page readers will see, with a
// "Preview" banner, never indexed. With ?id= (an article already
// stored) it carries that article's id, publication time, corrections
// and running story, as the published page does.
// admin.js puts the answer into the preview frame.
func (n *Newsroom) Preview(w http.ResponseWriter, r *http.Request) {
	if n.d.Site == nil {
		n.Error(w, r, errors.New("newsroom: preview without the site's article page"))
		return
	}
	var a, saved news.Article
	if v := r.URL.Query().Get("id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			n.Error(w, r, news.NotFound("article"))
			return
		}
		stored, err := n.d.Editorial.Get(r.Context(), id)
		if err != nil {
			n.Error(w, r, err)
			return
		}
		a.ID, a.Slug, a.Status, a.Corrections = stored.ID, stored.Slug, stored.Status, stored.Corrections
		a.PublishedAt, a.UpdatedAt = stored.PublishedAt, stored.UpdatedAt
		saved = stored
	}
	stored := a
	if err := n.parseArticleForm(r, &a); err != nil && news.KindOf(err) != news.KindInvalid {
		n.Error(w, r, err)
		return
	}
	if a.Headline == "" {
		a.Headline = "(no headline yet)"
	}
	if a.Slug == "" {
		a.Slug = stored.Slug
	}
	if len(a.Authors) > 0 {
		all, err := n.d.Store.ListAuthors(r.Context())
		if err == nil {
			byID := map[int64]news.Author{}
			for _, au := range all {
				byID[au.ID] = au
			}
			named := a.Authors[:0]
			for _, au := range a.Authors {
				if full, ok := byID[au.ID]; ok {
					named = append(named, full)
				}
			}
			a.Authors = named
		}
	}
	for i := range a.Tags {
		a.Tags[i] = news.TagLabel(a.Tags[i])
	}
	// Shown as it will be stored: pasted embed code becomes its embed.
	src, removed := n.d.Markup.Normalize(a.Body)
	a.Body = src
	// A published article keeps its publication time, and changes will
	// show as an update (none when the fields are as stored); anything
	// else is previewed as published now.
	now := n.d.Now()
	if a.Status == news.StatusPublished && !a.PublishedAt.IsZero() {
		if !sameFields(a, saved) {
			a.UpdatedAt = now
		}
	} else {
		a.PublishedAt, a.UpdatedAt = now, now
	}
	var buf bytes.Buffer
	if err := n.d.Site.Preview(&buf, r, a); err != nil {
		n.Error(w, r, err)
		return
	}
	h := w.Header()
	// admin.js tells the editor what the page will not show.
	h.Set("X-Byline-Removed", removed.String())
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Robots-Tag", "noindex")
	w.Write(buf.Bytes())
}

// sameFields tells whether the editor's fields are as stored, compared as
// revisions are (the section by its id: the form carries no path).
func sameFields(x, y news.Article) bool {
	x.Section, y.Section = news.Section{}, news.Section{}
	return slices.Equal(editorial.ArticleLines(x), editorial.ArticleLines(y))
}
