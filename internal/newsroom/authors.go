package newsroom

import (
	"net/http"
	"strconv"
	"strings"

	"byline/internal/news"
	"byline/internal/respond"
)

func statusOf(err error) int { return respond.StatusOf(err) }

// AuthorsPage is the data of authors.html.
type AuthorsPage struct{ Authors []news.Author }

// AuthorPage is the data of author_edit.html.
type AuthorPage struct {
	Author news.Author
	Error  string
}

func (n *Newsroom) Authors(w http.ResponseWriter, r *http.Request) {
	list, err := n.d.Store.ListAuthors(r.Context())
	if err != nil {
		n.Error(w, r, err)
		return
	}
	n.Render(w, r, "authors", AuthorsPage{Authors: list})
}

func (n *Newsroom) AuthorForm(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("id") == "new" {
		n.Render(w, r, "author_edit", AuthorPage{})
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		n.Error(w, r, news.NotFound("author"))
		return
	}
	a, err := n.d.Store.AuthorByID(r.Context(), id)
	if err != nil {
		n.Error(w, r, err)
		return
	}
	n.Render(w, r, "author_edit", AuthorPage{Author: a})
}

func (n *Newsroom) SaveAuthor(w http.ResponseWriter, r *http.Request) {
	u, _ := CurrentUser(r)
	var a news.Author
	if v := r.PathValue("id"); v != "new" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			n.Error(w, r, news.NotFound("author"))
			return
		}
		if a, err = n.d.Store.AuthorByID(r.Context(), id); err != nil {
			n.Error(w, r, err)
			return
		}
	}
	a.Name = r.PostFormValue("name")
	a.Slug = strings.TrimSpace(r.PostFormValue("slug"))
	a.Title = strings.TrimSpace(r.PostFormValue("title"))
	a.Email = strings.TrimSpace(r.PostFormValue("email"))
	a.Bio = r.PostFormValue("bio")
	a.Photo = nil
	if p := strings.TrimSpace(r.PostFormValue("photo_url")); p != "" {
		if !safeImageURL(p) {
			n.render(w, r, http.StatusBadRequest, "author_edit", AuthorPage{Author: a, Error: "the photo URL must start with /, http:// or https://"})
			return
		}
		a.Photo = &news.Image{URL: p, Alt: strings.TrimSpace(r.PostFormValue("photo_alt"))}
	}
	if err := n.d.Editorial.SaveAuthor(r.Context(), u, &a); err != nil {
		if k := news.KindOf(err); k == news.KindInvalid || k == news.KindConflict {
			n.render(w, r, statusOf(err), "author_edit", AuthorPage{Author: a, Error: news.PublicMessage(err)})
			return
		}
		n.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/authors/"+strconv.FormatInt(a.ID, 10)+"?done=Saved.", http.StatusSeeOther)
}
