package server

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"byline/internal/api"
	"byline/internal/comments"
	"byline/internal/comments/web"
	"byline/internal/config"
	"byline/internal/mail"
	"byline/internal/news"
	"byline/internal/newsroom"
	"byline/internal/readerauth"
)

// commentParts are the social comments: rules, reader sign-in, pages,
// the JSON API and the moderators' pages.
type commentParts struct {
	svc   *comments.Service
	auth  *readerauth.Auth
	web   *web.Web
	api   *api.CommentsAPI
	admin *newsroom.CommentsAdmin
	// signIn throttles reader sign-in per address.
	signIn *signInLimiter
}

// commentFuncs are the template functions of the comments partial. They
// are made before the comment service exists (templates are parsed
// first) and look it up when a page renders.
func (s *Server) commentFuncs() template.FuncMap {
	return web.Funcs(func(ctx context.Context, articleID int64) *comments.Thread {
		if s.comments == nil {
			return &comments.Thread{ArticleID: articleID, Hidden: true}
		}
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		return s.comments.web.Thread(ctx, articleID)
	})
}

// SocialProviders turns the configuration into sign-in providers.
func SocialProviders(c config.SocialLogin) []readerauth.ProviderConfig {
	var out []readerauth.ProviderConfig
	for name, sc := range c.Clients {
		out = append(out, readerauth.ProviderConfig{Name: name, ClientID: sc.ID, ClientSecret: sc.Secret,
			Issuer: sc.Issuer, Label: sc.Name, APIVersion: sc.APIVersion})
	}
	return out
}

func (s *Server) initComments(ctx context.Context, d Deps) error {
	st := d.Store
	// The outbox of e-mail notices: off (queues nothing) without an
	// SMTP server; its worker sends what this or another server queued.
	box, err := mail.New(mail.Options{Store: st, Now: s.now, Logger: s.logger, SMTP: mail.Config{Addr: d.Config.SMTP.Addr, From: d.Config.SMTP.From,
		User: d.Config.SMTP.User, Password: d.Config.SMTP.Password}})
	if err != nil {
		return err
	}
	svc, err := comments.New(ctx, countingComments{st, s.metrics}, comments.Options{Notifier: s, Now: s.now, Logger: s.logger, SharedLimits: sharedLimits(d),
		Location: d.Config.Location, Mail: box, BaseURL: d.Config.BaseURL, SiteName: d.Config.SiteName})
	if err != nil {
		return err
	}
	if box.Enabled() {
		go box.Run(s.bgCtx)
	}
	p := &commentParts{svc: svc, signIn: newSignInLimiter(sharedLimits(d), s.now)}
	p.web = web.New(svc, s.site, s.pages, s.markup, s.logger)
	p.auth, err = readerauth.New(readerauth.Config{BaseURL: d.Config.BaseURL, Providers: SocialProviders(d.Config.Social),
		DevLogin: d.Config.DevLogin, Now: s.now, Logger: s.logger}, st, p.web)
	if err != nil {
		return err
	}
	p.web.SetAuth(p.auth)
	p.api = api.NewCommentsAPI(svc, p.auth, d.Config.BaseURL)
	p.api.Lang = web.Lang
	if nr := s.Newsroom(); nr != nil {
		p.admin = newsroom.NewCommentsAdmin(svc, d.Config.BaseURL, nr, func(r *http.Request) string {
			if u, ok := currentStaff(r); ok {
				return u
			}
			return "staff"
		})
	}
	s.comments = p
	return nil
}

func currentStaff(r *http.Request) (string, bool) {
	u, ok := newsroom.CurrentUser(r)
	return u.Email, ok
}

// commentsPanel tells editors on the dashboard what waits in the
// moderation queue and for how long; over an hour is flagged.
func (s *Server) commentsPanel(ctx context.Context, u news.StaffUser) (newsroom.DashPanel, bool, error) {
	if !u.Role.AtLeast(news.RoleEditor) {
		return newsroom.DashPanel{}, false, nil
	}
	p := newsroom.DashPanel{Title: "Comments waiting", Link: "/admin/comments", LinkText: "Open the moderation queue"}
	q, err := s.comments.admin.Summary(ctx)
	if err != nil {
		return p, true, err
	}
	if q.Held+q.Reported == 0 {
		p.Lines = []string{"Nothing is waiting."}
		return p, true, nil
	}
	more := ""
	if q.More {
		more = " (at least)"
	}
	p.Lines = []string{
		plural(q.Held, "comment", "comments") + " held for approval" + more,
		plural(q.Reported, "reported comment", "reported comments") + more,
	}
	if !q.Oldest.IsZero() {
		wait := s.now().Sub(q.Oldest)
		p.Lines = append(p.Lines, "Oldest waiting: "+waited(wait))
		p.Alert = wait > time.Hour
	}
	return p, true, nil
}

// mailPanel tells admins when e-mail notices are stuck: messages waiting
// past their first try (the mail server refuses or is down) and messages
// given up on in the last week, with the last error.
func (s *Server) mailPanel(ctx context.Context, u news.StaffUser) (newsroom.DashPanel, bool, error) {
	p := newsroom.DashPanel{Title: "E-mail notices"}
	if !u.Role.AtLeast(news.RoleAdmin) {
		return p, false, nil
	}
	list, err := s.store.ListMail(ctx, 0, 500)
	if err != nil {
		return p, true, err
	}
	now := s.now()
	var waiting, failed int
	var oldest time.Time
	lastErr := ""
	for _, m := range list {
		switch {
		case m.Status == news.MailPending && m.Attempts > 0:
			waiting++
			if oldest.IsZero() || m.CreatedAt.Before(oldest) {
				oldest = m.CreatedAt
			}
		case m.Status == news.MailFailed && now.Sub(m.CreatedAt) < 7*24*time.Hour:
			failed++
		default:
			continue
		}
		if lastErr == "" {
			lastErr = m.LastError
		}
	}
	if waiting+failed == 0 {
		p.Lines = []string{"Every notice was sent."}
		return p, true, nil
	}
	p.Alert = true
	if waiting > 0 {
		p.Lines = append(p.Lines, plural(waiting, "notice", "notices")+" waiting for the mail server, retried with back-off; oldest "+waited(now.Sub(oldest)))
	}
	if failed > 0 {
		p.Lines = append(p.Lines, plural(failed, "notice", "notices")+" given up on in the last week")
	}
	if lastErr != "" {
		p.Lines = append(p.Lines, "Last error: "+lastErr)
	}
	return p, true, nil
}

// appealsPanel tells a moderator, on their own dashboard, what the
// review of an appeal against one of their decisions found in the last
// two weeks (the reversal or the upholding, with the reviewer's reasons):
// the moderator whose decision was reversed is told, not only the writer.
func (s *Server) appealsPanel(ctx context.Context, u news.StaffUser) (newsroom.DashPanel, bool, error) {
	p := newsroom.DashPanel{Title: "Your decisions reviewed on appeal", Link: "/admin/comments/appeals", LinkText: "Open the appeals"}
	if !u.Role.AtLeast(news.RoleEditor) || u.Email == "" {
		return p, false, nil
	}
	as, err := s.store.AppealsOfDecisionsBy(ctx, u.Email, s.now().Add(-14*24*time.Hour), 5)
	if err != nil || len(as) == 0 {
		return p, err != nil, err
	}
	for _, a := range as {
		what := "Upheld"
		if a.Status == news.AppealReversed {
			what, p.Alert = "Reversed", true
		}
		reply := []rune(a.Reply)
		if len(reply) > 140 {
			reply = append(reply[:139], '…')
		}
		p.Lines = append(p.Lines, fmt.Sprintf("%s by %s: decision %s on comment %d — “%s”", what, a.Reviewer, a.DecisionID, a.CommentID, string(reply)))
	}
	return p, true, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// waited says a duration as a desk reads it: "4 min", "2 h 5 min", "3 days".
func waited(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "under a minute"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + " min"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + " h " + strconv.Itoa(int(d%time.Hour/time.Minute)) + " min"
	}
	return strconv.Itoa(int(d/(24*time.Hour))) + " days"
}

// sharedLimits is where comment rate limits are counted: in PostgreSQL,
// which several servers share (so two allow the rate of one); nil on
// SQLite, one process, which counts in memory.
func sharedLimits(d Deps) news.RateLimitStore {
	if strings.HasPrefix(d.Config.Database, "postgres") {
		return d.Store
	}
	return nil
}
