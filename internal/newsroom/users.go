package newsroom

import (
	"net/http"
	"strconv"

	"byline/internal/auth"
	"byline/internal/news"
)

// UsersPage is the data of users.html.
type UsersPage struct {
	Users       []news.StaffUser
	Roles       []news.Role
	Authors     []news.Author
	AuthorName  map[int64]string
	Error       string
	NewPassword string
}

func (n *Newsroom) Users(w http.ResponseWriter, r *http.Request) {
	n.showUsers(w, r, http.StatusOK, UsersPage{})
}

func (n *Newsroom) showUsers(w http.ResponseWriter, r *http.Request, status int, p UsersPage) {
	list, err := n.d.Staff.ListStaff(r.Context())
	if err != nil {
		n.Error(w, r, err)
		return
	}
	p.Users, p.Roles = list, []news.Role{news.RoleContributor, news.RoleEditor, news.RoleAdmin}
	if p.Authors, err = n.d.Store.ListAuthors(r.Context()); err != nil {
		n.Error(w, r, err)
		return
	}
	p.AuthorName = make(map[int64]string, len(p.Authors))
	for _, a := range p.Authors {
		p.AuthorName[a.ID] = a.Name
	}
	n.render(w, r, status, "users", p)
}

func (n *Newsroom) CreateUser(w http.ResponseWriter, r *http.Request) {
	pw := auth.GeneratePassword()
	_, err := auth.CreateUser(r.Context(), n.d.Staff, r.PostFormValue("email"), r.PostFormValue("name"), news.Role(r.PostFormValue("role")), pw)
	if err != nil {
		if k := news.KindOf(err); k == news.KindInvalid || k == news.KindConflict {
			n.showUsers(w, r, statusOf(err), UsersPage{Error: news.PublicMessage(err)})
			return
		}
		n.Error(w, r, err)
		return
	}
	n.showUsers(w, r, http.StatusOK, UsersPage{NewPassword: pw})
}

func (n *Newsroom) UpdateUser(w http.ResponseWriter, r *http.Request) {
	me, _ := CurrentUser(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		n.Error(w, r, news.NotFound("user"))
		return
	}
	u, err := n.d.Staff.StaffByID(r.Context(), id)
	if err != nil {
		n.Error(w, r, err)
		return
	}
	ctx := r.Context()
	var p UsersPage
	switch r.PostFormValue("action") {
	case "role":
		if u.ID == me.ID {
			err = news.Invalid("role", "you cannot change your own role")
			break
		}
		u.Role = news.Role(r.PostFormValue("role"))
		err = n.d.Staff.UpdateStaff(ctx, &u)
	case "disable":
		if u.ID == me.ID {
			err = news.Invalid("user", "you cannot disable yourself")
			break
		}
		err = auth.SetDisabled(ctx, n.d.Staff, &u, true)
	case "byline":
		err = n.linkByline(r, &u)
	case "enable":
		err = auth.SetDisabled(ctx, n.d.Staff, &u, false)
	case "reset":
		p.NewPassword = auth.GeneratePassword()
		err = auth.SetPassword(ctx, n.d.Staff, &u, p.NewPassword)
	default:
		err = news.Invalid("action", "unknown action")
	}
	if err != nil {
		if k := news.KindOf(err); k == news.KindInvalid || k == news.KindConflict {
			n.showUsers(w, r, statusOf(err), UsersPage{Error: news.PublicMessage(err)})
			return
		}
		n.Error(w, r, err)
		return
	}
	if p.NewPassword != "" {
		n.showUsers(w, r, http.StatusOK, p)
		return
	}
	http.Redirect(w, r, "/admin/users?done=Saved.", http.StatusSeeOther)
}

// linkByline links an account to its author profile (author_id 0: none),
// so that the editor offers it first and new articles by the account get
// it as their byline. One byline belongs to one account.
func (n *Newsroom) linkByline(r *http.Request, u *news.StaffUser) error {
	id, err := strconv.ParseInt(r.PostFormValue("author_id"), 10, 64)
	if err != nil || id < 0 {
		return news.Invalid("author_id", "choose a byline from the list")
	}
	if id != 0 {
		au, err := n.d.Store.AuthorByID(r.Context(), id)
		if news.IsNotFound(err) {
			return news.Invalid("author_id", "there is no such byline; add it in Authors first")
		}
		if err != nil {
			return err
		}
		all, err := n.d.Staff.ListStaff(r.Context())
		if err != nil {
			return err
		}
		for _, other := range all {
			if other.AuthorID == id && other.ID != u.ID {
				return news.Errorf(news.KindConflict, "the byline %s is already linked to %s's account", au.Name, other.Name)
			}
		}
	}
	u.AuthorID = id
	return n.d.Staff.UpdateStaff(r.Context(), u)
}
