package server

import (
	"context"
	"net/http"
	"strings"

	"byline/internal/api"
	"byline/internal/auth"
	"byline/internal/media"
	"byline/internal/news"
	"byline/internal/newsroom"
	"byline/internal/webhooks"
)

// newAPI builds the JSON surface (Content API; the Admin API adds its
// dependencies to api.Deps).
func (s *Server) newAPI(d Deps) *api.API {
	return api.New(api.Deps{Store: d.Store, Markup: s.markup, Tree: s.site.Tree,
		BaseURL: d.Config.BaseURL, Now: s.now, Cache: s.cache})
}

// libraryParts are the media library's and webhooks' handlers; they exist
// when the newsroom is on.
type libraryParts struct {
	media    *media.Handlers
	webhooks *newsroom.WebhooksAdmin
}

// initMedia builds the media library and the webhook service, registers
// webhooks as an editorial listener and starts the delivery worker.
func (s *Server) initMedia(ctx context.Context, d Deps) error {
	nr := s.Newsroom()
	if nr == nil {
		return nil
	}
	p := &libraryParts{}
	{
		lib := media.New(d.Store, s.files)
		lib.Notify, lib.Logger = s, s.logger
		p.media = &media.Handlers{Lib: lib, Render: nr.RenderStatus, Error: nr.Error, UserID: func(r *http.Request) int64 {
			u, _ := auth.UserFrom(r.Context())
			return u.ID
		}, MayRemove: func(r *http.Request) bool {
			u, ok := auth.UserFrom(r.Context())
			return ok && u.Role.AtLeast(news.RoleEditor)
		}, Staff: d.Store.ListStaff, Location: d.Config.Location}
		s.stripStoredMedia(ctx, lib)
		s.backfill = &media.Backfill{Lib: lib, Go: func(f func()) { go f() }}
		s.closers = append(s.closers, s.backfill.Wait)
	}
	if s.Editorial() != nil {
		svc := webhooks.New(webhooks.Options{Store: d.Store, BaseURL: d.Config.BaseURL, Now: s.now, Logger: s.logger, AllowPrivate: d.Config.WebhooksAllowPrivate})
		s.Editorial().AddListener(svc)
		p.webhooks = newsroom.NewWebhooksAdmin(svc, nr)
		go svc.Run(s.bgCtx)
	}
	s.library = p
	return nil
}

// wpShortlinks sends WordPress' old short links ("/?p=123" for posts,
// "/?page_id=7" for pages) to the articles a WordPress import made of
// them. Only the home page with one of those parameters pays a lookup.
func (s *Server) wpShortlinks(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" || r.URL.RawQuery == "" || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
			next.ServeHTTP(w, r)
			return
		}
		q := r.URL.Query()
		for _, k := range []string{"p", "page_id"} {
			v := q.Get(k)
			if v == "" || len(v) > 19 || strings.Trim(v, "0123456789") != "" {
				continue
			}
			id, err := s.store.ImportRedirect(r.Context(), "/?"+k+"="+v)
			if err != nil {
				continue
			}
			a, err := s.store.ArticleByID(r.Context(), id)
			if err != nil || !a.Visible(s.now()) {
				continue
			}
			http.Redirect(w, r, a.URL(), http.StatusMovedPermanently)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// stripStoredMedia removes camera metadata (GPS position and the rest)
// from originals stored before uploads were cleaned; media.StripStored
// runs once per library. An empty library only records that, at once, so
// that nothing is left writing when a short-lived server stops; a full
// one is cleaned in the background while the server serves.
func (s *Server) stripStoredMedia(ctx context.Context, lib *media.Library) {
	run := func(ctx context.Context) {
		n, err := lib.StripStored(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			s.logger.Error("media: removing metadata from stored originals", "err", err)
		case n > 0:
			s.logger.Info("media: removed location and camera metadata from stored originals", "files", n)
		}
	}
	if _, total, err := lib.Store.ListMedia(ctx, news.MediaQuery{Limit: 1}); err == nil && total == 0 {
		run(ctx)
		return
	}
	go run(s.bgCtx)
}
