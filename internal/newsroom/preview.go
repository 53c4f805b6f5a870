package newsroom

import (
	"bytes"
	"html/template"
	"net/http"

	"byline/internal/news"
)

// Preview renders the editor's unsaved fields through the published
// article page's code (site.Preview), so the preview is the page readers
// will see.
// admin.js puts the answer into the preview frame.
func (n *Newsroom) Preview(w http.ResponseWriter, r *http.Request) {
	var a news.Article
	if err := n.parseArticleForm(r, &a); err != nil && news.KindOf(err) != news.KindInvalid {
		n.Error(w, r, err)
		return
	}
	if a.Headline == "" {
		a.Headline = "(no headline yet)"
	}
	tree := n.d.Tree()
	if sec, ok := tree.ByID(a.SectionID); ok {
		a.Section = sec
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
	a.PublishedAt = n.d.Now()
	for i := range a.Tags {
		a.Tags[i] = news.TagLabel(a.Tags[i])
	}
	// Shown as it will be stored: pasted embed code becomes its embed.
	src, removed := n.d.Markup.Normalize(a.Body)
	a.Body = src
	// admin.js tells the editor what the page will not show.
	w.Header().Set("X-Byline-Removed", removed.String())
	var buf bytes.Buffer
	if n.d.Site != nil {
		if err := n.d.Site.Preview(&buf, r, a); err != nil {
			n.d.Logger.WarnContext(r.Context(), "preview with the article page failed; using the plain one", "err", err)
			buf.Reset()
		}
	}
	if buf.Len() == 0 {
		plainPreview.Execute(&buf, struct {
			CSS  string
			A    news.Article
			Body template.HTML
		}{n.d.Pages.AssetURL("site.css"), a, n.d.Markup.HTML(a.Body)})
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Robots-Tag", "noindex")
	w.Write(buf.Bytes())
}

var plainPreview = template.Must(template.New("p").Parse(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Preview</title>
<link rel="stylesheet" href="{{.CSS}}"></head><body><main class="wrap article-wrap"><article class="story"><header class="story-header">
<h1>{{.A.Headline}}</h1>{{with .A.Dek}}<p class="dek">{{.}}</p>{{end}}</header>
<div class="story-body">{{with .A.Dateline}}<span class="dateline">{{.}} &mdash;</span>{{end}}{{.Body}}</div></article></main></body></html>`))
