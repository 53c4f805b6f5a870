package newsroom

import (
	"context"
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

// DashPanel is a box that another part of Byline adds to the dashboard
// (comments waiting for a moderator, ...): a few lines and a link, marked
// when something has waited too long.
type DashPanel struct {
	Title          string
	Lines          []string
	Link, LinkText string
	Alert          bool
}

// PanelFunc builds a dashboard panel for the signed-in user; ok false
// shows nothing (e.g. a role that may not see it).
type PanelFunc func(ctx context.Context, u news.StaffUser) (p DashPanel, ok bool, err error)

// AddPanel adds a panel to the dashboard.
func (n *Newsroom) AddPanel(f PanelFunc) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.panels = append(n.panels, f)
}

// DashboardPage is the data of dashboard.html.
type DashboardPage struct {
	Panels []DashPanel
	Groups []DashGroup
	// Pending are drafts of changes to live articles, newest first.
	Pending      []news.PendingDraft
	PendingTotal int
}

func (n *Newsroom) Dashboard(w http.ResponseWriter, r *http.Request) {
	var p DashboardPage
	n.mu.RLock()
	panels := append([]PanelFunc(nil), n.panels...)
	n.mu.RUnlock()
	u, _ := CurrentUser(r)
	for _, f := range panels {
		panel, ok, err := f(r.Context(), u)
		if err != nil {
			// One feature's trouble must not hide the desk's articles.
			n.d.Logger.Error("dashboard panel", "err", err)
			panel, ok = DashPanel{Title: panel.Title, Lines: []string{"Could not be loaded just now; try again in a moment."}, Alert: true}, true
		}
		if ok {
			p.Panels = append(p.Panels, panel)
		}
	}
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
	var err error
	if p.Pending, p.PendingTotal, err = n.d.Store.ListPendingDrafts(r.Context(), 10); err != nil {
		n.Error(w, r, err)
		return
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

func (n *Newsroom) Articles(w http.ResponseWriter, r *http.Request) {
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
