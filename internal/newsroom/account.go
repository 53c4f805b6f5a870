package newsroom

import (
	"bytes"
	"encoding/base64"
	"html/template"
	"image/png"
	"net/http"

	"byline/internal/auth"
	"byline/internal/news"
)

// AccountPage is the data of account.html.
type AccountPage struct {
	Secret string
	QR     template.URL
	Error  string
}

func (n *Newsroom) Account(w http.ResponseWriter, r *http.Request) {
	n.showAccount(w, r, http.StatusOK, "")
}

func (n *Newsroom) showAccount(w http.ResponseWriter, r *http.Request, status int, msg string) {
	u, _ := CurrentUser(r)
	p := AccountPage{Error: msg}
	if u.TOTPSecret == "" {
		key, err := n.d.Auth.NewTOTPKey(u.Email)
		if err != nil {
			n.Error(w, r, err)
			return
		}
		p.Secret = key.Secret()
		if img, err := key.Image(200, 200); err == nil {
			var buf bytes.Buffer
			if png.Encode(&buf, img) == nil {
				p.QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()))
			}
		}
	}
	n.render(w, r, status, "account", p)
}

// TOTP turns two-factor sign-in on (after checking a code made from the
// new secret) or off.
func (n *Newsroom) TOTP(w http.ResponseWriter, r *http.Request) {
	u, _ := CurrentUser(r)
	switch r.PostFormValue("action") {
	case "on":
		secret := r.PostFormValue("secret")
		if len(secret) < 16 || len(secret) > 64 || !auth.ValidateTOTP(secret, r.PostFormValue("code"), n.d.Now()) {
			n.showAccount(w, r, http.StatusBadRequest, "That code did not match; scan the new code and try again.")
			return
		}
		u.TOTPSecret = secret
	case "off":
		u.TOTPSecret = ""
	default:
		n.Error(w, r, news.Invalid("action", "unknown action"))
		return
	}
	if err := n.d.Staff.UpdateStaff(r.Context(), &u); err != nil {
		n.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/account?done=Saved.", http.StatusSeeOther)
}
