package newsroom

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"byline/internal/news"
	"byline/internal/tracker"
)

// TrackersAdmin is the term tracker in /admin: explore phrases (editors
// may count what readers cannot see yet), save trackers, publish them at
// /tracker/{slug}, and turn on spike alerts. Counting, charts and exports
// are internal/tracker's.
type TrackersAdmin struct{ ui *Newsroom }

// NewTrackersAdmin builds the pages in ui's layout.
func NewTrackersAdmin(ui *Newsroom) *TrackersAdmin { return &TrackersAdmin{ui: ui} }

// TrackersPage is the data of trackers.html.
type TrackersPage struct {
	Trackers []news.Tracker
	Form     tracker.Form
	Sections []news.Section
	Authors  []news.Author
	View     template.HTML
	Error    string
	// Saved is the tracker being edited (nil while exploring).
	Saved *news.Tracker
	// Exports: the query's export URL prefix.
	Query string
}

// PublicURL is a saved tracker's reader page.
func (p TrackersPage) PublicURL(t news.Tracker) string { return tracker.PublicURL(t.Slug) }

// PhraseInput is one of the five phrase inputs.
type PhraseInput struct {
	N     int
	Value string
}

// PhraseInputs pads the phrases to five inputs.
func (p TrackersPage) PhraseInputs() []PhraseInput {
	out := make([]PhraseInput, news.MaxTrackerPhrases)
	for i := range out {
		out[i].N = i + 1
		if i < len(p.Form.Phrases) {
			out[i].Value = p.Form.Phrases[i]
		}
	}
	return out
}

func (h *TrackersAdmin) page(w http.ResponseWriter, r *http.Request, status int, p TrackersPage) {
	ctx := r.Context()
	st := h.ui.d.Store
	var err error
	if p.Trackers, err = st.ListTrackers(ctx); err != nil {
		h.ui.Error(w, r, err)
		return
	}
	if p.Sections, err = st.ListSections(ctx); err != nil {
		h.ui.Error(w, r, err)
		return
	}
	if p.Authors, err = st.ListAuthors(ctx); err != nil {
		h.ui.Error(w, r, err)
		return
	}
	h.ui.render(w, r, status, "trackers", p)
}

// view runs the form's query into p.View; a refused query becomes
// p.Error and the status to answer with.
func (h *TrackersAdmin) view(r *http.Request, p *TrackersPage, base string) int {
	q, err := p.Form.Query()
	if err == nil {
		q.ScopeName = tracker.ScopeName(r.Context(), h.ui.d.Store, q.Scope)
		params := p.Form.Values()
		p.Query = params.Encode()
		exp := "/admin/trackers/export/"
		var v tracker.View
		v, err = tracker.BuildView(r.Context(), h.ui.d.Store, q, tracker.ViewOptions{Title: title(p), Base: base, Params: params,
			Bucket: r.URL.Query().Get("bucket"), CSV: exp + "csv?" + p.Query, JSON: exp + "json?" + p.Query, Image: exp + "svg?" + p.Query,
			Loc: h.ui.d.Config.Location, Now: h.ui.d.Now()})
		if err == nil {
			p.View, err = v.HTML()
		}
	}
	if err != nil {
		p.Error = news.PublicMessage(err)
		var de *news.Error
		if errors.As(err, &de) && de.Kind != news.KindInternal {
			return http.StatusUnprocessableEntity
		}
		return http.StatusInternalServerError
	}
	return http.StatusOK
}

func title(p *TrackersPage) string {
	if p.Saved != nil {
		return p.Saved.Title
	}
	return "Term tracker"
}

// List is GET /admin/trackers: saved trackers and, with phrase=…, a
// query explored.
func (h *TrackersAdmin) List(w http.ResponseWriter, r *http.Request) {
	p := TrackersPage{Form: tracker.ParseForm(r.URL.Query())}
	status := http.StatusOK
	if len(p.Form.Phrases) > 0 {
		status = h.view(r, &p, "/admin/trackers")
	}
	h.page(w, r, status, p)
}

// Export is GET /admin/trackers/export/{format}?… (svg, csv or json).
func (h *TrackersAdmin) Export(w http.ResponseWriter, r *http.Request) {
	format := r.PathValue("format")
	if format != "svg" && format != "csv" && format != "json" {
		h.ui.Error(w, r, news.NotFound("export format"))
		return
	}
	f := tracker.ParseForm(r.URL.Query())
	q, err := f.Query()
	if err != nil {
		h.ui.Error(w, r, err)
		return
	}
	q.ScopeName = tracker.ScopeName(r.Context(), h.ui.d.Store, q.Scope)
	res, err := tracker.Run(r.Context(), h.ui.d.Store, q, h.ui.d.Now(), h.ui.d.Config.Location)
	if err != nil {
		h.ui.Error(w, r, err)
		return
	}
	tracker.Write(w, r, format, "tracker", "Term tracker", res, h.ui.d.Store, false)
}

// fromPost reads a saved tracker's fields from a form.
func fromPost(r *http.Request, t *news.Tracker) {
	tracker.ParseForm(r.PostForm).Tracker(t)
	t.Title = r.PostFormValue("title")
	t.Slug = r.PostFormValue("slug")
	t.Published = r.PostFormValue("published") != ""
	t.Alerts = r.PostFormValue("alerts") != ""
}

// Create is POST /admin/trackers: save the explored query.
func (h *TrackersAdmin) Create(w http.ResponseWriter, r *http.Request) {
	var t news.Tracker
	if err := r.ParseForm(); err != nil {
		h.ui.Error(w, r, news.Invalid("form", "the form could not be read"))
		return
	}
	fromPost(r, &t)
	if err := h.ui.d.Store.CreateTracker(r.Context(), &t); err != nil {
		if k := news.KindOf(err); k == news.KindInvalid || k == news.KindConflict {
			p := TrackersPage{Form: tracker.ParseForm(r.PostForm), Error: news.PublicMessage(err)}
			h.page(w, r, http.StatusUnprocessableEntity, p)
			return
		}
		h.ui.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/trackers/"+strconv.FormatInt(t.ID, 10)+"?done="+url.QueryEscape("Tracker saved."), http.StatusSeeOther)
}

func (h *TrackersAdmin) load(w http.ResponseWriter, r *http.Request) (news.Tracker, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.ui.Error(w, r, news.NotFound("tracker"))
		return news.Tracker{}, false
	}
	t, err := h.ui.d.Store.TrackerByID(r.Context(), id)
	if err != nil {
		h.ui.Error(w, r, err)
		return t, false
	}
	return t, true
}

// Edit is GET /admin/trackers/{id}: the tracker's chart and its settings.
func (h *TrackersAdmin) Edit(w http.ResponseWriter, r *http.Request) {
	t, ok := h.load(w, r)
	if !ok {
		return
	}
	p := TrackersPage{Saved: &t, Form: tracker.FormOf(t)}
	p.Form.Editor = r.URL.Query().Get("editor") != ""
	status := h.view(r, &p, "/admin/trackers/"+strconv.FormatInt(t.ID, 10))
	h.page(w, r, status, p)
}

// Update is POST /admin/trackers/{id}.
func (h *TrackersAdmin) Update(w http.ResponseWriter, r *http.Request) {
	t, ok := h.load(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		h.ui.Error(w, r, news.Invalid("form", "the form could not be read"))
		return
	}
	saved := t
	fromPost(r, &t)
	if err := h.ui.d.Store.UpdateTracker(r.Context(), &t); err != nil {
		if k := news.KindOf(err); k == news.KindInvalid || k == news.KindConflict {
			p := TrackersPage{Saved: &saved, Form: tracker.ParseForm(r.PostForm), Error: news.PublicMessage(err)}
			h.page(w, r, http.StatusUnprocessableEntity, p)
			return
		}
		h.ui.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/trackers/"+strconv.FormatInt(t.ID, 10)+"?done="+url.QueryEscape("Tracker saved."), http.StatusSeeOther)
}

// Delete is POST /admin/trackers/{id}/delete.
func (h *TrackersAdmin) Delete(w http.ResponseWriter, r *http.Request) {
	t, ok := h.load(w, r)
	if !ok {
		return
	}
	if err := h.ui.d.Store.DeleteTracker(r.Context(), t.ID); err != nil {
		h.ui.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/trackers?done="+url.QueryEscape("Tracker deleted."), http.StatusSeeOther)
}
