package site

import (
	"html/template"
	"net/http"
	"net/url"

	"byline/internal/news"
	"byline/internal/tracker"
)

// TrackerPage is a published term tracker (/tracker/{slug}).
type TrackerPage struct {
	Base
	Crumbs  []Crumb
	Tracker news.Tracker
	View    template.HTML
}

// publishedTracker loads a tracker readers may see: published ones only.
func (s *Site) publishedTracker(r *http.Request) (news.Tracker, tracker.Query, error) {
	t, err := s.store.TrackerBySlug(r.Context(), r.PathValue("slug"))
	if err == nil && !t.Published {
		err = news.NotFound("tracker")
	}
	if err != nil {
		return t, tracker.Query{}, err
	}
	q, err := tracker.QueryOf(t)
	if err != nil {
		return t, q, err
	}
	q.ScopeName = tracker.ScopeName(r.Context(), s.store, t.Scope)
	return t, q, nil
}

// Tracker is GET /tracker/{slug}: the chart, its data table and, with
// ?bucket=, the articles of one bucket with the phrase in context.
func (s *Site) Tracker(w http.ResponseWriter, r *http.Request) {
	t, q, err := s.publishedTracker(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	u := tracker.PublicURL(t.Slug)
	v, err := tracker.BuildView(r.Context(), s.store, q, tracker.ViewOptions{Title: t.Title, Base: u, Params: url.Values{}, Bucket: r.URL.Query().Get("bucket"),
		CSV: u + "/data.csv", JSON: u + "/data.json", Image: u + "/chart.svg", Loc: s.cfg.Location, Now: s.now()})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	frag, err := v.HTML()
	if err != nil {
		s.Error(w, r, err)
		return
	}
	p := TrackerPage{Base: s.base(t.Title, "How often "+s.cfg.Name+" has written "+quoteList(t.Phrases)+", "+v.Result.Query.Unit()+" per "+string(t.Interval)+".", u),
		Crumbs: []Crumb{{Name: "Home", URL: "/"}, {Name: t.Title}}, Tracker: t, View: frag}
	if r.URL.Query().Has("bucket") {
		p.Robots = "noindex"
	}
	s.html(w, r, http.StatusOK, "tracker", p, v.Result.Generated)
}

func quoteList(ps []string) string {
	out := ""
	for i, p := range ps {
		if i > 0 {
			out += ", "
		}
		out += "“" + p + "”"
	}
	return out
}

// TrackerExport is GET /tracker/{slug}/chart.svg, data.csv and data.json.
func (s *Site) TrackerExport(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		t, q, err := s.publishedTracker(r)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		res, err := tracker.Run(r.Context(), s.store, q, s.now(), s.cfg.Location)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		tracker.Write(w, r, format, t.Slug, t.Title, res, s.store, true)
	}
}
