package newsroom

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"byline/internal/dictionary/dictweb"
	"byline/internal/news"
)

// GlossaryAdmin serves /admin/dictionary: the newsroom glossary (list, add, edit,
// delete, CSV import and export) and the list of bilingual dictionaries.
type GlossaryAdmin struct {
	svc *dictweb.Service
	ui  *Newsroom
	// Actor names the signed-in editor for the record.
	actor func(r *http.Request) string
}

// NewGlossaryAdmin builds the glossary pages.
func NewGlossaryAdmin(svc *dictweb.Service, ui *Newsroom, actor func(r *http.Request) string) *GlossaryAdmin {
	if actor == nil {
		actor = func(*http.Request) string { return "" }
	}
	return &GlossaryAdmin{svc: svc, ui: ui, actor: actor}
}

// GlossaryListPage is the data of dictionary_list.html.
type GlossaryListPage struct {
	Entries    []news.GlossaryEntry
	Bilingual  []news.BilingualDictionary
	New        news.GlossaryEntry // the add form, refilled after an error
	NewLinks   string
	Error      string
	ImportErr  string
	MaxCSVKB   int
	MaxCSVRows int
}

// GlossaryEditPage is the data of dictionary_edit.html.
type GlossaryEditPage struct {
	Entry news.GlossaryEntry
	Links string
	Error string
}

func (a *GlossaryAdmin) listPage(r *http.Request) (GlossaryListPage, error) {
	p := GlossaryListPage{MaxCSVKB: dictweb.MaxCSVBytes >> 10, MaxCSVRows: dictweb.MaxCSVRows}
	var err error
	if p.Entries, err = a.svc.Store().ListGlossary(r.Context()); err != nil {
		return p, err
	}
	if p.Bilingual, err = a.svc.Store().ListBilingual(r.Context()); err != nil {
		return p, err
	}
	return p, nil
}

func (a *GlossaryAdmin) List(w http.ResponseWriter, r *http.Request) {
	p, err := a.listPage(r)
	if err != nil {
		a.ui.Error(w, r, err)
		return
	}
	a.ui.Render(w, r, "dictionary_list", p)
}

func entryFromForm(r *http.Request) news.GlossaryEntry {
	return news.GlossaryEntry{Display: r.PostFormValue("term"), Definition: r.PostFormValue("definition"), POS: r.PostFormValue("pos"),
		Korean: r.PostFormValue("korean"), Note: r.PostFormValue("note"), Links: strings.Fields(r.PostFormValue("links")), UpdatedBy: ""}
}

func (a *GlossaryAdmin) Create(w http.ResponseWriter, r *http.Request) {
	e := entryFromForm(r)
	e.UpdatedBy = a.actor(r)
	if err := a.svc.Store().SaveGlossaryEntry(r.Context(), &e); err != nil {
		if news.KindOf(err) == news.KindInternal {
			a.ui.Error(w, r, err)
			return
		}
		p, lerr := a.listPage(r)
		if lerr != nil {
			a.ui.Error(w, r, lerr)
			return
		}
		p.New, p.NewLinks, p.Error = e, r.PostFormValue("links"), news.PublicMessage(err)
		a.ui.Render(withStatus(w, glossaryStatus(err)), r, "dictionary_list", p)
		return
	}
	a.svc.Invalidate()
	glossaryDone(w, r, "Added “"+e.Display+"” to the glossary.")
}

func (a *GlossaryAdmin) entry(w http.ResponseWriter, r *http.Request) (news.GlossaryEntry, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		a.ui.Error(w, r, news.NotFound("glossary entry"))
		return news.GlossaryEntry{}, false
	}
	e, err := a.svc.Store().GlossaryEntryByID(r.Context(), id)
	if err != nil {
		a.ui.Error(w, r, err)
		return e, false
	}
	return e, true
}

func (a *GlossaryAdmin) Edit(w http.ResponseWriter, r *http.Request) {
	e, ok := a.entry(w, r)
	if !ok {
		return
	}
	a.ui.Render(w, r, "dictionary_edit", GlossaryEditPage{Entry: e, Links: strings.Join(e.Links, "\n")})
}

func (a *GlossaryAdmin) Update(w http.ResponseWriter, r *http.Request) {
	old, ok := a.entry(w, r)
	if !ok {
		return
	}
	e := entryFromForm(r)
	e.ID, e.UpdatedBy = old.ID, a.actor(r)
	if err := a.svc.Store().SaveGlossaryEntry(r.Context(), &e); err != nil {
		if news.KindOf(err) == news.KindInternal || news.IsNotFound(err) {
			a.ui.Error(w, r, err)
			return
		}
		a.ui.Render(withStatus(w, glossaryStatus(err)), r, "dictionary_edit", GlossaryEditPage{Entry: e, Links: r.PostFormValue("links"), Error: news.PublicMessage(err)})
		return
	}
	a.svc.Invalidate()
	glossaryDone(w, r, "Saved “"+e.Display+"”.")
}

func (a *GlossaryAdmin) Delete(w http.ResponseWriter, r *http.Request) {
	e, ok := a.entry(w, r)
	if !ok {
		return
	}
	if err := a.svc.Store().DeleteGlossaryEntry(r.Context(), e.ID); err != nil {
		a.ui.Error(w, r, err)
		return
	}
	a.svc.Invalidate()
	glossaryDone(w, r, "Deleted “"+e.Display+"”.")
}

func (a *GlossaryAdmin) ImportCSV(w http.ResponseWriter, r *http.Request) {
	fail := func(err error) {
		if news.KindOf(err) == news.KindInternal {
			a.ui.Error(w, r, err)
			return
		}
		p, lerr := a.listPage(r)
		if lerr != nil {
			a.ui.Error(w, r, lerr)
			return
		}
		p.ImportErr = news.PublicMessage(err)
		a.ui.Render(withStatus(w, glossaryStatus(err)), r, "dictionary_list", p)
	}
	r.Body = http.MaxBytesReader(w, r.Body, dictweb.MaxImportBody)
	f, _, err := r.FormFile("file")
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			fail(news.Errorf(news.KindTooLarge, "the file is larger than %d KB", dictweb.MaxCSVBytes>>10))
			return
		}
		fail(news.Invalid("file", "choose a CSV file to import"))
		return
	}
	defer f.Close()
	entries, err := dictweb.ParseGlossaryCSV(f)
	if err != nil {
		fail(err)
		return
	}
	created, err := a.svc.Store().ImportGlossary(r.Context(), entries, a.actor(r))
	if err != nil {
		fail(err)
		return
	}
	a.svc.Invalidate()
	glossaryDone(w, r, "Imported "+strconv.Itoa(len(entries))+" entries ("+strconv.Itoa(created)+" new, "+strconv.Itoa(len(entries)-created)+" replaced).")
}

func (a *GlossaryAdmin) Export(w http.ResponseWriter, r *http.Request) {
	entries, err := a.svc.Store().ListGlossary(r.Context())
	if err != nil {
		a.ui.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="glossary.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	dictweb.WriteGlossaryCSV(w, entries)
}

// done redirects to the glossary with a message for the layout.
func glossaryDone(w http.ResponseWriter, r *http.Request, msg string) {
	http.Redirect(w, r, "/admin/dictionary?done="+url.QueryEscape(msg), http.StatusSeeOther)
}

func glossaryStatus(err error) int {
	switch news.KindOf(err) {
	case news.KindConflict:
		return http.StatusConflict
	case news.KindTooLarge:
		return http.StatusRequestEntityTooLarge
	default:
		return http.StatusBadRequest
	}
}

// withStatus makes the next WriteHeader(200) of a page renderer send
// status instead, so a form shown again with its error says so.
func withStatus(w http.ResponseWriter, status int) http.ResponseWriter {
	return &formStatusWriter{ResponseWriter: w, status: status}
}

type formStatusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (s *formStatusWriter) WriteHeader(code int) {
	if !s.wrote && code == http.StatusOK {
		code = s.status
	}
	s.wrote = true
	s.ResponseWriter.WriteHeader(code)
}

func (s *formStatusWriter) Write(p []byte) (int, error) {
	if !s.wrote {
		s.WriteHeader(http.StatusOK)
	}
	return s.ResponseWriter.Write(p)
}

func (s *formStatusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }
