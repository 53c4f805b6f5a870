// Package api is Byline's JSON surface: the public read-only Content API
// (content*.go) and the token-authenticated Admin API (admin*.go).
package api

import (
	"time"

	"byline/internal/markup"
	"byline/internal/news"
	"byline/internal/pagecache"
)

// Deps are what the APIs are built from; each surface reads the fields
// it needs.
type Deps struct {
	Store  news.Store
	Markup *markup.Renderer
	// Tree is the current section tree (kept by the site).
	Tree    func() *news.Tree
	BaseURL string
	Now     func() time.Time
	// Cache keeps Content API answers until the next change (nil: none).
	Cache *pagecache.Cache
	// Admin is the Admin API's part (admin.go); nil turns it off.
	Admin *AdminDeps
}

// API serves the JSON routes.
type API struct {
	d Deps
}

// New builds the API.
func New(d Deps) *API {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Markup == nil {
		d.Markup = markup.New()
	}
	return &API{d: d}
}
