package server

import (
	"net/http"

	"byline/internal/pagecache"
	"byline/internal/site"
)

// siteRoutes is the reader site's route table. Pages that are the same for
// every reader go through the page cache (cached, or paged when ?page=
// picks the page); search does not (its answers are too many to keep, and
// fast to make). Sign-in and the comment pages exist when the store keeps
// comments.
func (s *Server) siteRoutes() []route {
	form := s.cfg.MaxBodyBytes
	cached := s.cache.Middleware(pagecache.KeyWith())
	paged := s.cache.Middleware(pagecache.KeyWith("page"))
	// An article's comment box can be asked for in a language (?lang=ko:
	// drawn by the server, for readers without script).
	byLang := s.cache.Middleware(pagecache.KeyWithOneOf("lang", "en", "ko"))
	storyPages := s.cache.Middleware(pagecache.KeyWith("kind", "page"))
	st := s.site
	toRSS := http.RedirectHandler("/feed/rss", http.StatusMovedPermanently)

	rs := []route{
		{pattern: "GET /{$}", guard: open, body: form, h: cached(hf(st.Home))},
		{pattern: "GET /section/{path...}", guard: open, body: form, h: paged(hf(st.Section))},
		{pattern: "GET /article/{id}", guard: open, body: form, h: hf(st.ArticleShort)},
		{pattern: "GET /article/{id}/{slug}", guard: open, body: form, h: byLang(hf(st.Article))},
		{pattern: "GET /article/{id}/{slug}/print", guard: open, body: form, h: cached(hf(st.ArticlePrint))},
		{pattern: "GET /author/{slug}", guard: open, body: form, h: paged(hf(st.Author))},
		{pattern: "GET /tag/{tag}", guard: open, body: form, h: paged(hf(st.Tag))},
		{pattern: "GET /corrections", guard: open, body: form, h: cached(hf(st.Corrections))},
		{pattern: "GET /stories", guard: open, body: form, h: cached(hf(st.Stories))},
		{pattern: "GET /story/{slug}", guard: open, body: form, h: storyPages(hf(st.Story))},
		{pattern: "GET /story/{slug}/feed", guard: open, body: form, h: cached(hf(st.StoryFeed))},
		// What is new since the reader's cursor: live pages fetch it.
		{pattern: "GET /story/{slug}/updates", guard: open, body: form, h: pagecache.Compress(hf(st.StoryUpdates))},
		// Server-Sent Events: "the story changed" (long-lived).
		{pattern: "GET /story/{slug}/live", guard: open, body: form, h: hf(st.StoryLive)},
		{pattern: "GET /search", guard: open, body: form, h: pagecache.Compress(hf(st.Search))},
		// Published term trackers: counted on each request (a newly
		// published article shows at once), not kept by the page cache.
		{pattern: "GET /tracker/{slug}", guard: open, body: form, h: pagecache.Compress(hf(st.Tracker))},
		{pattern: "GET /tracker/{slug}/chart.svg", guard: open, body: form, h: pagecache.Compress(st.TrackerExport("svg"))},
		{pattern: "GET /tracker/{slug}/data.csv", guard: open, body: form, h: pagecache.Compress(st.TrackerExport("csv"))},
		{pattern: "GET /tracker/{slug}/data.json", guard: open, body: form, h: pagecache.Compress(st.TrackerExport("json"))},

		{pattern: "GET /feed/rss", guard: open, body: form, h: cached(st.Feed(site.FeedRSS))},
		{pattern: "GET /feed/rss/{path...}", guard: open, body: form, h: cached(st.Feed(site.FeedRSS))},
		{pattern: "GET /feed/atom", guard: open, body: form, h: cached(st.Feed(site.FeedAtom))},
		{pattern: "GET /feed/atom/{path...}", guard: open, body: form, h: cached(st.Feed(site.FeedAtom))},
		{pattern: "GET /feed/json", guard: open, body: form, h: cached(st.Feed(site.FeedJSON))},
		{pattern: "GET /feed/json/{path...}", guard: open, body: form, h: cached(st.Feed(site.FeedJSON))},
		// Where WordPress and many other systems keep their feed:
		// subscribers of a moved paper land on ours.
		{pattern: "GET /feed", guard: open, body: form, h: toRSS},
		{pattern: "GET /feed/{$}", guard: open, body: form, h: toRSS},
		{pattern: "GET /sitemap.xml", guard: open, body: form, h: cached(st.SitemapIndex(site.ArticlesPerSitemap))},
		{pattern: "GET /sitemaps/{file}", guard: open, body: form, h: cached(st.SitemapFile(site.ArticlesPerSitemap))},
		{pattern: "GET /news-sitemap.xml", guard: open, body: form, h: cached(hf(st.NewsSitemap))},
		{pattern: "GET /robots.txt", guard: open, body: form, h: cached(hf(st.Robots))},
		{pattern: "GET /opensearch.xml", guard: open, body: form, h: cached(hf(st.OpenSearch))},
	}
	if s.comments == nil {
		return rs
	}
	reader := s.readerGuard()
	a, w := s.comments.auth, s.comments.web
	rs = append(rs,
		route{pattern: "GET /auth/{provider}/start", guard: open, body: form, h: s.comments.signIn.limit(hf(a.Start))},
		route{pattern: "GET /auth/{provider}/callback", guard: open, body: form, h: s.comments.signIn.limit(hf(a.Callback))},
		route{pattern: "POST /auth/logout", guard: reader, body: form, h: hf(a.Logout)},
		route{pattern: "GET /comments/policy", guard: open, body: form, h: hf(w.Policy)},
		route{pattern: "GET /comments/help", guard: open, body: form, h: hf(w.Help)},
		route{pattern: "GET /comments/lang", guard: open, body: form, h: hf(w.Lang)},
		route{pattern: "GET /account", guard: open, body: form, h: hf(w.Account)},
		route{pattern: "POST /account/delete", guard: reader, body: form, h: hf(w.DeleteAccount)},
		route{pattern: "POST /account/appeal", guard: reader, body: form, h: hf(w.AppealForm)},
		route{pattern: "POST /account/email", guard: reader, body: form, h: hf(w.EmailForm)},
		route{pattern: "GET /account/email/confirm", guard: open, body: form, h: hf(w.EmailConfirm)},
		route{pattern: "GET /account/email/unsubscribe", guard: open, body: form, h: hf(w.Unsubscribe)},
		route{pattern: "POST /account/email/unsubscribe", guard: signedLink, body: form, h: hf(w.Unsubscribe)},
		route{pattern: "GET /comments/readers/{id}", guard: open, body: form, h: hf(w.History)},
	)
	if a.DevLogin() {
		rs = append(rs,
			route{pattern: "POST /auth/dev/finish", guard: reader, body: form, h: hf(a.DevFinish)},
			// The local provider's own OpenID endpoints (authorize, token,
			// keys): the sign-in's client calls them like any provider's.
			route{pattern: "/auth/dev/idp/", guard: devProvider, body: form, h: a.DevIdP()},
		)
	}
	return rs
}

// signedLink guards the unsubscribe link of a notice: the token signed
// for its reader is the proof, no cookie is read; a mail client's
// one-click POST (RFC 8058) comes from no page at all.
var signedLink = guard{name: "signed-link", forgery: "a token signed for the reader, no cookies"}

// devProvider guards the --dev-login provider's endpoints: they hold no
// cookie of ours; a token is only issued for a code and PKCE verifier
// the sign-in made.
var devProvider = guard{name: "dev-provider", forgery: "OpenID code + PKCE verifier, no cookies"}
