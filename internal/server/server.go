// Package server assembles Byline's HTTP handler: it builds each surface
// (reader site, newsroom, APIs), lists their routes in routes.go, wraps
// them in middleware, and owns the page cache and its invalidation.
package server

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"byline/internal/api"
	"byline/internal/config"
	"byline/internal/dictionary/dictweb"
	"byline/internal/live"
	"byline/internal/markup"
	"byline/internal/media"
	"byline/internal/news"
	"byline/internal/newsroom"
	"byline/internal/pagecache"
	"byline/internal/render"
	"byline/internal/respond"
	"byline/internal/site"
	"byline/internal/tracker"
)

// Deps are the parts a server is built from.
type Deps struct {
	Config *config.Config
	Store  news.Store
	Logger *slog.Logger
	// Now is the clock (tests may fix it); nil means time.Now.
	Now func() time.Time
}

// Server is the assembled application.
type Server struct {
	cfg      *config.Config
	store    news.Store
	logger   *slog.Logger
	now      func() time.Time
	cache    *pagecache.Cache
	pages    *render.Renderer
	markup   *markup.Renderer
	site     *site.Site
	newsroom *newsroomParts // staff side; nil when the store keeps no staff
	api      *api.API
	library  *libraryParts // library.go
	// backfill makes renditions of older images on first request (media.go).
	backfill *media.Backfill
	files    media.Storage    // media files: directory or bucket (media.go)
	comments *commentParts    // social comments; nil when the store keeps none
	dict     *dictweb.Service // the reader dictionary
	// glossary is the glossary's admin pages (nil without a newsroom or
	// a glossary store).
	glossary *newsroom.GlossaryAdmin
	// readerCOP refuses cross-site writes made with a reader's cookie.
	readerCOP *http.CrossOriginProtection
	metrics   *metrics   // metrics.go
	bus       *changeBus // notify.go; nil on a single-process engine
	handler   http.Handler
	// background work (schedulers, deliveries) stops with this context.
	stop    context.CancelFunc
	bgCtx   context.Context
	closers []func()
	// mux is the route table; notFound asks it whether a path exists for
	// GET when another method found nothing.
	mux *http.ServeMux
	// countsStale: a comment changed a count shown on cached lists.
	countsStale atomic.Bool
	trk         *tracker.Service // the term tracker (tracker.go)
	// live tells open story pages of new entries (Server-Sent Events).
	live *live.Hub
}

// New builds every surface and the route table.
func New(ctx context.Context, d Deps) (*Server, error) {
	s := &Server{cfg: d.Config, store: d.Store, logger: d.Logger, now: d.Now, readerCOP: http.NewCrossOriginProtection()}
	if s.now == nil {
		s.now = time.Now
	}
	if s.logger == nil {
		s.logger = slog.Default()
	}
	s.bgCtx, s.stop = context.WithCancel(context.WithoutCancel(ctx))
	s.cache = pagecache.New(max(1, d.Config.CacheMB) << 20)
	s.metrics = newMetrics(s)
	s.markup = markup.New()
	s.live = live.NewHub()
	var err error
	s.pages, err = render.New(render.Options{ThemeDir: d.Config.ThemeDir, Location: d.Config.Location, Funcs: s.commentFuncs(), MediaURL: d.Config.MediaURL})
	if err != nil {
		return nil, err
	}
	s.site, err = site.New(ctx, site.Deps{
		Config: site.Config{Name: d.Config.SiteName, Tagline: d.Config.Tagline, XAccount: d.Config.XAccount, BaseURL: d.Config.BaseURL, Location: d.Config.Location},
		Store:  d.Store, Pages: s.pages, Markup: s.markup, Now: s.now, Logger: s.logger, Live: s.live,
	})
	if err != nil {
		return nil, err
	}
	s.api = s.newAPI(d)
	if s.files, err = mediaStorage(d.Config); err != nil {
		return nil, err
	}
	if err := s.initNewsroom(ctx, d); err != nil {
		return nil, err
	}
	if err := s.initComments(ctx, d); err != nil {
		return nil, err
	}
	s.initDictionary()
	if err := s.initMedia(ctx, d); err != nil {
		return nil, err
	}
	s.initTracker(d)
	s.watchClock(5 * time.Second)
	s.watchSearch(d.Config.SearchUpkeep)
	s.startBus()
	mux := http.NewServeMux()
	s.mux = mux
	s.adminNav()
	if err := s.mount(mux, s.routes()); err != nil {
		return nil, err
	}
	s.handler = chain(mux,
		recoverPanics(s.logger),
		respond.NewFaults(d.Store.Classify, s.logger, nil).Middleware,
		realIP(d.Config.TrustedProxies),
		logRequests(s.logger, s.metrics.observe),
		securityHeaders,
		s.redirectOld,
		s.wpShortlinks,
	)
	return s, nil
}

// Handler is the whole application as an http.Handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Cache is the page cache (tests and metrics read it).
func (s *Server) Cache() *pagecache.Cache { return s.cache }

// StopStreams ends the live stories' streams: they never go idle, so a
// graceful shutdown (http.Server.RegisterOnShutdown) ends them first.
// Browsers reconnect, to another server if there is one.
func (s *Server) StopStreams() { s.live.Close() }

// Close stops background work.
func (s *Server) Close() {
	s.live.Close()
	s.stop()
	for _, c := range s.closers {
		c()
	}
}

// applyChange drops the cached pages that showed the old state (Notify,
// in notify.go, calls it and tells the other servers).
func (s *Server) applyChange(ctx context.Context, c news.Change) {
	switch c.Kind {
	case news.ChangeSections:
		if err := s.site.ReloadSections(ctx); err != nil {
			s.logger.ErrorContext(ctx, "reload sections", "err", err)
		}
		s.cache.PurgeAll()
	case news.ChangeComments:
		// The article's own pages now; the lists that show comment counts
		// at most once a minute (see watchClock), so a busy thread does
		// not empty the whole cache with every comment.
		s.cache.PurgePrefix("/article/" + strconv.FormatInt(c.ArticleID, 10) + "/")
		s.countsStale.Store(true)
	case news.ChangeSettings:
		// Comment settings (site mode, banned words) live in memory on
		// every server; another server's change must reach them.
		if s.comments != nil {
			if err := s.comments.svc.Reload(ctx); err != nil {
				s.logger.WarnContext(ctx, "reload comment settings", "err", err)
			}
		}
		s.cache.PurgeAll()
	case news.ChangeStory:
		// The story's pages and its member articles' boxes; then its
		// open pages are told (they fetch what is new).
		s.cache.PurgePrefix("/story/")
		s.cache.PurgePrefix("/stories")
		s.cache.PurgePrefix("/sitemaps/sections.xml")
		ids, err := s.store.StoryArticleIDs(ctx, c.StoryID)
		if err != nil {
			s.logger.WarnContext(ctx, "story members; dropping every page", "story", c.StoryID, "err", err)
			s.cache.PurgeAll()
		}
		for _, id := range ids {
			s.cache.PurgePrefix("/article/" + strconv.FormatInt(id, 10) + "/")
		}
		s.live.Publish(c.StoryID)
	default:
		// Content (an author's change among them), settings, another
		// process's writes.
		s.site.AuthorsChanged()
		s.cache.PurgeAll()
	}
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprintln(w, "ok")
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.store.Ping(ctx); err != nil {
		s.logger.WarnContext(ctx, "readyz: database not reachable", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "database not reachable")
		return
	}
	fmt.Fprintln(w, "ready")
}

// notFound answers unknown paths: JSON under /api/, the site's page
// elsewhere.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead && s.mux != nil {
		// The catch-all route takes every method, so the mux's own 405
		// never happens: answer it here for paths that exist for GET.
		probe := r.Clone(r.Context())
		probe.Method = http.MethodGet
		if _, pattern := s.mux.Handler(probe); pattern != "" && pattern != "/" {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "Method not allowed: this address only answers GET and HEAD.", http.StatusMethodNotAllowed)
			return
		}
	}
	if strings.HasPrefix(r.URL.Path, "/api/") {
		respond.JSON(w, http.StatusNotFound, respond.ErrorBody{Error: respond.ErrorDetail{Code: "not_found", Message: "no such API endpoint"}})
		return
	}
	s.site.NotFound(w, r)
}
