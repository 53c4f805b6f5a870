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
