package server

import (
	"context"
	"net/http"
	"strings"
	"time"

	"byline/internal/api"
	"byline/internal/auth"
	"byline/internal/editorial"
	"byline/internal/news"
	"byline/internal/newsroom"
)

// newsroomParts are the staff side: authentication, the editorial
// workflow and the /admin surface.
type newsroomParts struct {
	staff     news.NewsroomStore
	auth      *auth.Staff
	tokens    *auth.Tokens
	editorial *editorial.Service
	newsroom  *newsroom.Newsroom
	stories   *newsroom.StoriesAdmin
}

// initNewsroom builds the newsroom and starts the scheduled-publishing
// loop (it runs at once, so articles due while the server was down are
// published on start).
func (s *Server) initNewsroom(ctx context.Context, d Deps) error {
	ns := d.Store
	p := &newsroomParts{staff: ns, tokens: auth.NewTokens(ns)}
	p.auth = auth.New(auth.Options{Store: ns, Secure: strings.HasPrefix(d.Config.BaseURL, "https://"), CookiePath: "/admin",
		Now: s.now, Issuer: d.Config.SiteName})
	p.editorial = editorial.New(editorial.Deps{Store: d.Store, Staff: ns, Notifier: s, Markup: s.markup, Now: s.now, Logger: s.logger})
	var err error
	p.newsroom, err = newsroom.New(newsroom.Deps{
		Config: newsroom.Config{SiteName: d.Config.SiteName, BaseURL: d.Config.BaseURL, Location: d.Config.Location},
		Store:  d.Store, Staff: ns, Auth: p.auth, Editorial: p.editorial, Pages: s.pages, Markup: s.markup,
		Tree: s.site.Tree, Site: s.site, Now: s.now, Logger: s.logger,
	})
	if err != nil {
		return err
	}
	// Running stories: their admin pages, the editor's suggestions, and
	// the dormant-story flags raised when an article is published.
	p.stories = newsroom.NewStoriesAdmin(p.newsroom, s)
	p.editorial.AddListener(p.stories)
	s.newsroom = p
	if s.api != nil {
		s.api.EnableAdmin(api.AdminDeps{Editorial: p.editorial, Tokens: p.tokens})
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		p.editorial.RunScheduler(s.bgCtx, 15*time.Second)
	}()
	// Close waits for a publish in progress, so the store is not closed
	// under it.
	s.closers = append(s.closers, func() { <-done })
	go s.purgeSessions(p.auth)
	return nil
}

// purgeSessions deletes expired staff sessions at start and hourly.
func (s *Server) purgeSessions(a *auth.Staff) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if n, err := a.PurgeExpired(s.bgCtx); err != nil && s.bgCtx.Err() == nil {
			s.logger.Warn("purge expired sessions", "err", err)
		} else if n > 0 {
			s.logger.Info("purged expired sessions", "count", n)
		}
		select {
		case <-s.bgCtx.Done():
			return
		case <-t.C:
		}
	}
}

// Editorial is the workflow service (nil without a newsroom store);
// features such as webhooks register listeners on it.
func (s *Server) Editorial() *editorial.Service {
	if s.newsroom == nil {
		return nil
	}
	return s.newsroom.editorial
}

// Newsroom is the /admin surface (nil without a newsroom store); other
// features add their admin pages through it.
func (s *Server) Newsroom() *newsroom.Newsroom {
	if s.newsroom == nil {
		return nil
	}
	return s.newsroom.newsroom
}

// redirectOld answers requests that would get a 404 with a 301 to where
// the page moved (moved sections, imported WordPress URLs), using the
// redirects table. Only 404s pay for the lookup.
func (s *Server) redirectOld(next http.Handler) http.Handler {
	if s.newsroom == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead || strings.HasPrefix(r.URL.Path, "/admin") || strings.HasPrefix(r.URL.Path, "/api/") {
			next.ServeHTTP(w, r)
			return
		}
		rw := &notFoundCatcher{ResponseWriter: w}
		next.ServeHTTP(rw, r)
		if !rw.caught {
			return
		}
		to, err := s.newsroom.staff.RedirectFor(r.Context(), r.URL.Path)
		if err != nil {
			if !news.IsNotFound(err) {
				s.logger.WarnContext(r.Context(), "redirect lookup", "err", err)
			}
			rw.flush()
			return
		}
		if r.URL.RawQuery != "" && !strings.Contains(to, "?") {
			to += "?" + r.URL.RawQuery
		}
		h := w.Header()
		for k := range h {
			delete(h, k)
		}
		h.Set("Cache-Control", "public, max-age=3600")
		http.Redirect(w, r, to, http.StatusMovedPermanently)
	})
}

// notFoundCatcher holds back a 404 response so that a redirect can
// replace it; every other response passes straight through.
type notFoundCatcher struct {
	http.ResponseWriter
	caught  bool
	decided bool
	status  int
	body    []byte
}

func (c *notFoundCatcher) WriteHeader(code int) {
	if c.decided {
		return
	}
	c.decided = true
	if code == http.StatusNotFound {
		c.caught, c.status = true, code
		return
	}
	c.ResponseWriter.WriteHeader(code)
}

func (c *notFoundCatcher) Write(p []byte) (int, error) {
	if !c.decided {
		c.WriteHeader(http.StatusOK)
	}
	if c.caught {
		c.body = append(c.body, p...)
		return len(p), nil
	}
	return c.ResponseWriter.Write(p)
}

func (c *notFoundCatcher) Unwrap() http.ResponseWriter { return c.ResponseWriter }

// Flush passes flushes through (streaming responses), except of a held
// 404.
func (c *notFoundCatcher) Flush() {
	if c.caught {
		return
	}
	if !c.decided {
		c.WriteHeader(http.StatusOK)
	}
	_ = http.NewResponseController(c.ResponseWriter).Flush()
}

// flush sends the held-back 404.
func (c *notFoundCatcher) flush() {
	c.ResponseWriter.WriteHeader(c.status)
	c.ResponseWriter.Write(c.body)
}
