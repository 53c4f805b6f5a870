package server

import (
	"strings"
	"testing"
)

// TestTrackerRoutes: the term tracker's routes, and who may use them.
func TestTrackerRoutes(t *testing.T) {
	srv := newFullServer(t)
	guards := map[string]string{}
	for _, rt := range srv.routes() {
		path := rt.pattern[strings.IndexByte(rt.pattern, ' ')+1:]
		if strings.HasPrefix(path, "/admin/trackers") || strings.HasPrefix(path, "/tracker/") {
			guards[rt.pattern] = rt.guard.name
		}
	}
	want := map[string]string{
		"GET /admin/trackers":                 "contributor",
		"POST /admin/trackers":                "editor",
		"GET /admin/trackers/export/{format}": "contributor",
		"GET /admin/trackers/{id}":            "contributor",
		"POST /admin/trackers/{id}":           "editor",
		"POST /admin/trackers/{id}/delete":    "editor",
		"GET /tracker/{slug}":                 "open",
		"GET /tracker/{slug}/chart.svg":       "open",
		"GET /tracker/{slug}/data.csv":        "open",
		"GET /tracker/{slug}/data.json":       "open",
	}
	if len(guards) != len(want) {
		t.Errorf("%d tracker routes, want %d: %v", len(guards), len(want), guards)
	}
	for p, g := range want {
		if guards[p] != g {
			t.Errorf("%s guarded by %q, want %q", p, guards[p], g)
		}
	}
}
