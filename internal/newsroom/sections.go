package newsroom

import (
	"net/http"
	"strconv"
	"strings"

	"byline/internal/news"
)

// SectionsPage is the data of sections.html.
type SectionsPage struct {
	Sections []news.Section
	Error    string
}

func (n *Newsroom) Sections(w http.ResponseWriter, r *http.Request) {
	n.showSections(w, r, http.StatusOK, "")
}

func (n *Newsroom) showSections(w http.ResponseWriter, r *http.Request, status int, msg string) {
	t, err := n.d.Editorial.Sections(r.Context())
	if err != nil {
		n.Error(w, r, err)
		return
	}
	n.render(w, r, status, "sections", SectionsPage{Sections: t.All, Error: msg})
}

func sectionFromForm(r *http.Request, s *news.Section) {
	s.Name = r.PostFormValue("name")
	s.Slug = strings.TrimSpace(r.PostFormValue("slug"))
	s.Description = r.PostFormValue("description")
	s.ParentID, _ = strconv.ParseInt(r.PostFormValue("parent_id"), 10, 64)
	s.Position, _ = strconv.Atoi(r.PostFormValue("position"))
}

func (n *Newsroom) CreateSection(w http.ResponseWriter, r *http.Request) {
	u, _ := CurrentUser(r)
	var s news.Section
	sectionFromForm(r, &s)
	if err := n.d.Editorial.CreateSection(r.Context(), u, &s); err != nil {
		n.sectionError(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/sections?done=Section+created.", http.StatusSeeOther)
}

func (n *Newsroom) UpdateSection(w http.ResponseWriter, r *http.Request) {
	u, _ := CurrentUser(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		n.Error(w, r, news.NotFound("section"))
		return
	}
	s := news.Section{ID: id}
	sectionFromForm(r, &s)
	if err := n.d.Editorial.UpdateSection(r.Context(), u, &s); err != nil {
		n.sectionError(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/sections?done=Section+saved.", http.StatusSeeOther)
}

func (n *Newsroom) sectionError(w http.ResponseWriter, r *http.Request, err error) {
	switch news.KindOf(err) {
	case news.KindInvalid, news.KindConflict:
		n.showSections(w, r, statusOf(err), news.PublicMessage(err))
	default:
		n.Error(w, r, err)
	}
}
