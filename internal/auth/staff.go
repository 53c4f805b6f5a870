package auth

import (
	"context"
	"crypto/subtle"
	"errors"
	"net"
	"net/http"
	"strings"
	"time"

	"byline/internal/news"
)

// CookieName is the staff session cookie. Reader sessions use another.
const CookieName = "byline_staff"

// Options configure staff authentication.
type Options struct {
	Store news.NewsroomStore
	// Secure marks cookies Secure (the site is served over https).
	Secure bool
	// CookiePath scopes the session cookie; default "/".
	CookiePath string
	// Idle and Absolute are session lifetimes: without activity, and in
	// all. Defaults 12 h and 7 days.
	Idle, Absolute time.Duration
	// Failure limits within Window (default 15 min): per account (default
	// 5) and per client address (default 30).
	Window                       time.Duration
	MaxPerAccount, MaxPerAddress int
	Now                          func() time.Time
	// Issuer names the site in authenticator apps.
	Issuer string
}

// Staff signs newsroom staff in and out.
type Staff struct {
	o Options
}

// New builds the staff authenticator.
func New(o Options) *Staff {
	if o.Idle == 0 {
		o.Idle = 12 * time.Hour
	}
	if o.Absolute == 0 {
		o.Absolute = 7 * 24 * time.Hour
	}
	if o.Window == 0 {
		o.Window = 15 * time.Minute
	}
	if o.MaxPerAccount == 0 {
		o.MaxPerAccount = 5
	}
	if o.MaxPerAddress == 0 {
		o.MaxPerAddress = 30
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.CookiePath == "" {
		o.CookiePath = "/"
	}
	if o.Issuer == "" {
		o.Issuer = "Byline"
	}
	return &Staff{o: o}
}

// Store is the newsroom store the authenticator uses.
func (a *Staff) Store() news.NewsroomStore { return a.o.Store }

// ErrTOTPRequired is returned by Login when the password was right but the
// account needs a two-factor code that was missing or wrong.
var ErrTOTPRequired = &news.Error{Kind: news.KindUnauthorized, Field: "code", Message: "enter the 6-digit code from your authenticator app"}

var errBadLogin = &news.Error{Kind: news.KindUnauthorized, Message: "wrong e-mail address or password"}

// Login checks an e-mail, password and (when enrolled) TOTP code coming
// from addr. Failures are counted per account and per address in the
// database, so the limits hold across servers; past a limit every attempt
// is refused (KindTooMany) until the window passes.
func (a *Staff) Login(ctx context.Context, email, password, code, addr string) (news.StaffUser, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	now := a.o.Now()
	since := now.Add(-a.o.Window)
	acctKey, addrKey := "email:"+email, "ip:"+addr
	st := a.o.Store
	if n, err := st.CountLoginFailures(ctx, addrKey, since); err != nil {
		return news.StaffUser{}, err
	} else if n >= a.o.MaxPerAddress {
		return news.StaffUser{}, news.Errorf(news.KindTooMany, "too many failed sign-ins from your address; try again in %d minutes", int(a.o.Window.Minutes()))
	}
	if n, err := st.CountLoginFailures(ctx, acctKey, since); err != nil {
		return news.StaffUser{}, err
	} else if n >= a.o.MaxPerAccount {
		return news.StaffUser{}, news.Errorf(news.KindTooMany, "too many failed sign-ins for this account; try again in %d minutes", int(a.o.Window.Minutes()))
	}
	fail := func(err error) (news.StaffUser, error) {
		if e1, e2 := st.RecordLoginFailure(ctx, acctKey, now), st.RecordLoginFailure(ctx, addrKey, now); e1 != nil || e2 != nil {
			return news.StaffUser{}, errors.Join(e1, e2)
		}
		return news.StaffUser{}, err
	}
	u, err := st.StaffByEmail(ctx, email)
	if err != nil && !news.IsNotFound(err) {
		return u, err
	}
	if err != nil || u.PasswordHash == "" {
		VerifyPassword(dummyHash(), password)
		return fail(errBadLogin)
	}
	if !VerifyPassword(u.PasswordHash, password) {
		return fail(errBadLogin)
	}
	if u.Disabled {
		return fail(&news.Error{Kind: news.KindForbidden, Message: "this account is disabled"})
	}
	if u.TOTPSecret != "" && !ValidateTOTP(u.TOTPSecret, code, now) {
		if strings.TrimSpace(code) == "" {
			return news.StaffUser{}, ErrTOTPRequired
		}
		return fail(ErrTOTPRequired)
	}
	if err := st.ClearLoginFailures(ctx, acctKey); err != nil {
		return u, err
	}
	return u, nil
}

// StartSession signs u in on this browser: any session the browser had is
// ended first (a new id at every sign-in defeats session fixation).
func (a *Staff) StartSession(ctx context.Context, w http.ResponseWriter, r *http.Request, u news.StaffUser) (news.Session, error) {
	if c, err := r.Cookie(CookieName); err == nil && c.Value != "" {
		_ = a.o.Store.DeleteSession(ctx, hashToken(c.Value))
	}
	id := randomToken()
	now := a.o.Now().UTC()
	se := news.Session{IDHash: hashToken(id), UserID: u.ID, CSRFToken: randomToken(), CreatedAt: now, LastSeenAt: now,
		IP: ClientIP(r), UserAgent: truncate(r.UserAgent(), 300)}
	if err := a.o.Store.CreateSession(ctx, &se); err != nil {
		return se, err
	}
	http.SetCookie(w, a.cookie(id, int(a.o.Absolute.Seconds())))
	return se, nil
}

func (a *Staff) cookie(value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: CookieName, Value: value, Path: a.o.CookiePath, MaxAge: maxAge,
		HttpOnly: true, Secure: a.o.Secure, SameSite: http.SameSiteLaxMode}
}

var errNoSession = &news.Error{Kind: news.KindUnauthorized, Message: "please sign in"}

// Current returns the signed-in user and session of a request. Expired
// sessions (idle or absolute) are deleted and refused; so are sessions of
// disabled accounts.
func (a *Staff) Current(r *http.Request) (news.StaffUser, news.Session, error) {
	c, err := r.Cookie(CookieName)
	if err != nil || c.Value == "" || len(c.Value) > 100 {
		return news.StaffUser{}, news.Session{}, errNoSession
	}
	ctx := r.Context()
	h := hashToken(c.Value)
	se, err := a.o.Store.SessionByHash(ctx, h)
	if err != nil {
		if news.IsNotFound(err) {
			err = errNoSession
		}
		return news.StaffUser{}, se, err
	}
	now := a.o.Now()
	if now.Sub(se.LastSeenAt) > a.o.Idle || now.Sub(se.CreatedAt) > a.o.Absolute {
		_ = a.o.Store.DeleteSession(ctx, h)
		return news.StaffUser{}, news.Session{}, &news.Error{Kind: news.KindUnauthorized, Message: "your session has expired; please sign in again"}
	}
	u, err := a.o.Store.StaffByID(ctx, se.UserID)
	if err != nil {
		return u, se, err
	}
	if u.Disabled {
		_ = a.o.Store.DeleteUserSessions(ctx, u.ID)
		return news.StaffUser{}, news.Session{}, &news.Error{Kind: news.KindForbidden, Message: "this account is disabled"}
	}
	// Record activity at most once a minute: the idle timeout is hours.
	if now.Sub(se.LastSeenAt) > time.Minute {
		if err := a.o.Store.TouchSession(ctx, h, now); err == nil {
			se.LastSeenAt = now
		}
	}
	return u, se, nil
}

// PurgeExpired deletes sessions past their lifetimes (they are refused
// anyway; this keeps the table small).
func (a *Staff) PurgeExpired(ctx context.Context) (int, error) {
	now := a.o.Now()
	return a.o.Store.DeleteExpiredSessions(ctx, now.Add(-a.o.Idle), now.Add(-a.o.Absolute))
}

// Logout ends this browser's session and clears its cookie.
func (a *Staff) Logout(w http.ResponseWriter, r *http.Request) error {
	http.SetCookie(w, a.cookie("", -1))
	if c, err := r.Cookie(CookieName); err == nil && c.Value != "" {
		return a.o.Store.DeleteSession(r.Context(), hashToken(c.Value))
	}
	return nil
}

// LogoutEverywhere ends every session of a user.
func (a *Staff) LogoutEverywhere(ctx context.Context, userID int64) error {
	return a.o.Store.DeleteUserSessions(ctx, userID)
}

// CheckCSRF reports whether the form field "csrf" (or the X-CSRF-Token
// header) carries the session's token.
func CheckCSRF(r *http.Request, se news.Session) bool {
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		got = r.PostFormValue("csrf")
	}
	return got != "" && se.CSRFToken != "" && subtle.ConstantTimeCompare([]byte(got), []byte(se.CSRFToken)) == 1
}

// ClientIP is the address of the client: the connection's peer. (Behind a
// proxy, the server's trusted-proxy setting is the place to change that.)
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
