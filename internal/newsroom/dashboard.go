package newsroom

import (
	"net/http"
	"strconv"

	"byline/internal/news"
)

// DashGroup is one box of the dashboard.
type DashGroup struct {
	Title    string
	Status   news.Status
	Articles []news.Article
	Total    int
}

// DashboardPage is the data of dashboard.html.
type DashboardPage struct{ Groups []DashGroup }

func (n *Newsroom) dashboard(w http.ResponseWriter, r *http.Request) {
	var p DashboardPage
	for _, g := range []DashGroup{{Title: "Drafts", Status: news.StatusDraft}, {Title: "In review", Status: news.StatusReview},
		{Title: "Scheduled", Status: news.StatusScheduled}, {Title: "Recently published", Status: news.StatusPublished}} {
		page, err := n.d.Store.ListArticles(r.Context(), news.ArticleQuery{Status: g.Status, Limit: 10})
		if err != nil {
			n.Error(w, r, err)
			return
		}
		g.Articles, g.Total = page.Articles, page.Total
		p.Groups = append(p.Groups, g)
	}
	n.Render(w, r, "dashboard", p)
}

// ArticlesPage is the data of articles.html.
type ArticlesPage struct {
	Status           news.Status
	Statuses         []news.Status
	SectionID        int64
	Sections         []news.Section
	Articles         []news.Article
	PrevURL, NextURL string
}

func (n *Newsroom) articles(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := ArticlesPage{Status: news.Status(q.Get("status")), Statuses: []news.Status{news.StatusDraft, news.StatusReview, news.StatusScheduled, news.StatusPublished}}
	if p.Status == "" {
		p.Status = news.StatusPublished
	}
	if !p.Status.Valid() {
		n.Error(w, r, news.Invalid("status", "unknown status"))
		return
	}
	tree := n.d.Tree()
	p.Sections = tree.All
	aq := news.ArticleQuery{Status: p.Status, Limit: 50}
	if v := q.Get("section"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if _, ok := tree.ByID(id); err != nil || !ok {
			n.Error(w, r, news.Invalid("section", "unknown section"))
			return
		}
		p.SectionID = id
		aq.SectionIDs = tree.Subtree(id)
	}
	pg, _ := strconv.Atoi(q.Get("page"))
	pg = max(1, min(pg, 100000))
	aq.Offset = (pg - 1) * aq.Limit
	page, err := n.d.Store.ListArticles(r.Context(), aq)
	if err != nil {
		n.Error(w, r, err)
		return
	}
	p.Articles = page.Articles
	link := func(to int) string {
		v := "/admin/articles?status=" + string(p.Status) + "&page=" + strconv.Itoa(to)
		if p.SectionID != 0 {
			v += "&section=" + strconv.FormatInt(p.SectionID, 10)
		}
		return v
	}
	if pg > 1 {
		p.PrevURL = link(pg - 1)
	}
	if aq.Offset+len(page.Articles) < page.Total {
		p.NextURL = link(pg + 1)
	}
	n.Render(w, r, "articles", p)
}
