package newsroom

import (
	"net/http"
	"strconv"

	"byline/internal/editorial"
	"byline/internal/news"
)

// RevisionsPage is the data of revisions.html.
type RevisionsPage struct {
	Article    news.Article
	Revisions  []news.Revision
	From, To   news.Revision
	Diff       []editorial.DiffLine
	CanRestore bool
}

// Revisions lists an article's revisions and shows what one of them (by
// default the newest) changed since the one before it.
func (n *Newsroom) Revisions(w http.ResponseWriter, r *http.Request) {
	u, _ := CurrentUser(r)
	id, err := articleID(r)
	if err != nil {
		n.Error(w, r, err)
		return
	}
	a, err := n.d.Editorial.Get(r.Context(), id)
	if err != nil {
		n.Error(w, r, err)
		return
	}
	revs, err := n.d.Editorial.Revisions(r.Context(), id)
	if err != nil {
		n.Error(w, r, err)
		return
	}
	p := RevisionsPage{Article: a, Revisions: revs, CanRestore: u.Role.AtLeast(news.RoleEditor)}
	if len(revs) > 0 {
		to := 0
		if v := r.URL.Query().Get("to"); v != "" {
			want, _ := strconv.ParseInt(v, 10, 64)
			to = -1
			for i, rv := range revs {
				if rv.ID == want {
					to = i
				}
			}
			if to < 0 {
				n.Error(w, r, news.NotFound("revision"))
				return
			}
		}
		p.To = revs[to]
		var from news.Article
		if to+1 < len(revs) {
			p.From = revs[to+1]
			from = p.From.Snapshot
		}
		p.Diff = editorial.DiffArticles(from, p.To.Snapshot)
	}
	n.Render(w, r, "revisions", p)
}

func (n *Newsroom) Restore(w http.ResponseWriter, r *http.Request) {
	u, _ := CurrentUser(r)
	id, err := articleID(r)
	if err != nil {
		n.Error(w, r, err)
		return
	}
	rev, err := strconv.ParseInt(r.PathValue("rev"), 10, 64)
	if err != nil {
		n.Error(w, r, news.NotFound("revision"))
		return
	}
	if _, err := n.d.Editorial.Restore(r.Context(), u, id, rev); err != nil {
		n.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/articles/"+strconv.FormatInt(id, 10)+"/revisions?done=Restored.", http.StatusSeeOther)
}
