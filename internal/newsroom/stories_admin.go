package newsroom

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"byline/internal/editorial"
	"byline/internal/markup"
	"byline/internal/news"
)

// StoriesAdmin is /admin/stories: running stories, their entries and
// summary versions, the suggestions the article editor shows, and the
// dashboard's flags of dormant stories that new articles match.
type StoriesAdmin struct {
	ui     *Newsroom
	store  news.Store
	notify news.Notifier
}

// NewStoriesAdmin builds the pages in ui's layout; notify is told of every
// change readers can see (the server's Notify).
func NewStoriesAdmin(ui *Newsroom, notify news.Notifier) *StoriesAdmin {
	h := &StoriesAdmin{ui: ui, store: ui.d.Store, notify: notify}
	ui.mu.Lock()
	ui.stories = h
	ui.mu.Unlock()
	return h
}

// StoryForm is a story as its form shows it.
type StoryForm struct {
	news.Story
	TagsText string
}

// StoriesPage is the data of stories_list.html.
type StoriesPage struct {
	Stories  []news.Story
	Flags    []news.StoryFlag
	Sections []news.Section
	Form     StoryForm
	Error    string
	Now      time.Time
}

// EntryForm is what an editor typed for a new entry.
type EntryForm struct {
	Kind               news.EntryKind
	Text, Embed        string
	ImageURL, ImageAlt string
	EventAt, ArticleID string
	Pinned             bool
}

// StoryEditPage is the data of stories_edit.html.
type StoryEditPage struct {
	Form       StoryForm
	Sections   []news.Section
	Entries    []news.StoryEntry
	Summaries  []news.StorySummary
	Kinds      []news.EntryKind
	Entry      EntryForm
	Error      string
	EntryError string
}

func (h *StoriesAdmin) sections() []news.Section { return h.ui.d.Tree().All }

// List is GET /admin/stories.
func (h *StoriesAdmin) List(w http.ResponseWriter, r *http.Request) {
	h.list(w, r, http.StatusOK, StoriesPage{Form: StoryForm{Story: news.Story{Status: news.StoryDeveloping}}})
}

func (h *StoriesAdmin) list(w http.ResponseWriter, r *http.Request, status int, p StoriesPage) {
	var err error
	if p.Stories, err = h.store.ListStories(r.Context(), news.StoryQuery{Limit: 200}); err != nil {
		h.ui.Error(w, r, err)
		return
	}
	if p.Flags, err = h.store.StoryFlags(r.Context(), 20); err != nil {
		h.ui.Error(w, r, err)
		return
	}
	p.Sections, p.Now = h.sections(), h.ui.d.Now()
	h.ui.render(w, r, status, "stories_list", p)
}

// parseStory reads the story form.
func parseStory(r *http.Request) StoryForm {
	f := StoryForm{TagsText: r.PostFormValue("tags")}
	f.Title = r.PostFormValue("title")
	f.Slug = strings.TrimSpace(r.PostFormValue("slug"))
	f.Standfirst = r.PostFormValue("standfirst")
	f.Summary = strings.ReplaceAll(r.PostFormValue("summary"), "\r\n", "\n")
	f.Status = news.StoryStatus(r.PostFormValue("status"))
	f.SectionID, _ = strconv.ParseInt(r.PostFormValue("section_id"), 10, 64)
	f.Live = r.PostFormValue("live") != ""
	f.Version, _ = strconv.Atoi(r.PostFormValue("version"))
	for _, t := range strings.Split(f.TagsText, ",") {
		if t = strings.TrimSpace(t); t != "" {
			f.Tags = append(f.Tags, t)
		}
	}
	return f
}

// Create is POST /admin/stories.
func (h *StoriesAdmin) Create(w http.ResponseWriter, r *http.Request) {
	f := parseStory(r)
	u, _ := CurrentUser(r)
	st := f.Story
	if err := h.store.CreateStory(r.Context(), &st, u.ID); err != nil {
		if k := news.KindOf(err); k == news.KindInvalid || k == news.KindConflict || k == news.KindNotFound {
			h.list(w, r, kindStatus(k), StoriesPage{Form: f, Error: news.PublicMessage(err)})
			return
		}
		h.ui.Error(w, r, err)
		return
	}
	h.notify.Notify(r.Context(), news.Change{Kind: news.ChangeStory, StoryID: st.ID})
	http.Redirect(w, r, "/admin/stories/"+strconv.FormatInt(st.ID, 10)+"?done=Story+created", http.StatusSeeOther)
}

func kindStatus(k news.Kind) int {
	switch k {
	case news.KindConflict:
		return http.StatusConflict
	case news.KindNotFound:
		return http.StatusNotFound
	}
	return http.StatusBadRequest
}

func (h *StoriesAdmin) storyID(w http.ResponseWriter, r *http.Request) (news.Story, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.ui.Error(w, r, news.NotFound("story"))
		return news.Story{}, false
	}
	st, err := h.store.StoryByID(r.Context(), id)
	if err != nil {
		h.ui.Error(w, r, err)
		return st, false
	}
	return st, true
}

// Edit is GET /admin/stories/{id}.
func (h *StoriesAdmin) Edit(w http.ResponseWriter, r *http.Request) {
	st, ok := h.storyID(w, r)
	if !ok {
		return
	}
	h.edit(w, r, http.StatusOK, StoryEditPage{Form: StoryForm{Story: st, TagsText: strings.Join(st.Tags, ", ")}, Entry: EntryForm{Kind: news.EntryUpdate}})
}

func (h *StoriesAdmin) edit(w http.ResponseWriter, r *http.Request, status int, p StoryEditPage) {
	var err error
	ctx := r.Context()
	if p.Entries, err = h.store.StoryEntries(ctx, news.EntryQuery{StoryID: p.Form.ID, Newest: true, Limit: 500}); err != nil {
		h.ui.Error(w, r, err)
		return
	}
	if p.Summaries, err = h.store.StorySummaries(ctx, p.Form.ID); err != nil {
		h.ui.Error(w, r, err)
		return
	}
	p.Sections, p.Kinds = h.sections(), news.EntryKinds
	h.ui.render(w, r, status, "stories_edit", p)
}

// Save is POST /admin/stories/{id}: the story's fields (and a new summary
// version when the summary changed).
func (h *StoriesAdmin) Save(w http.ResponseWriter, r *http.Request) {
	cur, ok := h.storyID(w, r)
	if !ok {
		return
	}
	f := parseStory(r)
	f.ID, f.CoverageStart = cur.ID, cur.CoverageStart
	u, _ := CurrentUser(r)
	st := f.Story
	if err := h.store.UpdateStory(r.Context(), &st, u.ID); err != nil {
		if k := news.KindOf(err); k == news.KindInvalid || k == news.KindConflict || k == news.KindNotFound {
			h.edit(w, r, kindStatus(k), StoryEditPage{Form: f, Error: news.PublicMessage(err), Entry: EntryForm{Kind: news.EntryUpdate}})
			return
		}
		h.ui.Error(w, r, err)
		return
	}
	h.notify.Notify(r.Context(), news.Change{Kind: news.ChangeStory, StoryID: st.ID})
	http.Redirect(w, r, "/admin/stories/"+strconv.FormatInt(st.ID, 10)+"?done=Story+saved", http.StatusSeeOther)
}

// parseEntry reads the entry form; times are the paper's local time.
func (h *StoriesAdmin) parseEntry(r *http.Request, storyID int64) (EntryForm, news.StoryEntry, error) {
	f := EntryForm{Kind: news.EntryKind(r.PostFormValue("kind")), Text: strings.ReplaceAll(r.PostFormValue("text"), "\r\n", "\n"),
		Embed: strings.TrimSpace(r.PostFormValue("embed")), ImageURL: strings.TrimSpace(r.PostFormValue("image_url")),
		ImageAlt: r.PostFormValue("image_alt"), EventAt: strings.TrimSpace(r.PostFormValue("event_at")),
		ArticleID: strings.TrimSpace(r.PostFormValue("article_id")), Pinned: r.PostFormValue("pinned") != ""}
	u, _ := CurrentUser(r)
	// Stamped by the server's clock, which readers' pages go by.
	e := news.StoryEntry{StoryID: storyID, Kind: f.Kind, Text: f.Text, Embed: f.Embed, Pinned: f.Pinned, CreatedBy: u.ID,
		PublishedAt: h.ui.d.Now()}
	if f.ImageURL != "" {
		e.Image = &news.Image{URL: f.ImageURL, Alt: f.ImageAlt}
	}
	if f.ArticleID != "" {
		id, err := strconv.ParseInt(f.ArticleID, 10, 64)
		if err != nil || id <= 0 {
			return f, e, news.Invalid("article_id", "the article must be given by its number (the one in its address)")
		}
		e.ArticleID = id
	}
	if f.EventAt != "" {
		t, err := time.ParseInLocation("2006-01-02T15:04", f.EventAt, h.ui.d.Config.Location)
		if err != nil {
			return f, e, news.Invalid("event_at", "the time of the event must look like 2026-12-05T14:30")
		}
		e.EventAt = t
	}
	if e.Embed != "" {
		if _, ok := markup.ParseEmbed(e.Embed); !ok {
			return f, e, news.Invalid("embed", "the embed must be a YouTube, Vimeo, X, Instagram, OpenStreetMap or Google Maps address")
		}
	}
	return f, e, nil
}

// safeReturn keeps a form's return path only when it is an admin page of
// an article (the editor's "add to story").
func safeReturn(v string) string {
	if strings.HasPrefix(v, "/admin/articles/") && !strings.ContainsAny(v, "\\?#") && !strings.Contains(v, "//") {
		return v
	}
	return ""
}

// AddEntry is POST /admin/stories/{id}/entries: an update written in
// place, or an article (article_id) from the story page or the editor.
func (h *StoriesAdmin) AddEntry(w http.ResponseWriter, r *http.Request) {
	st, ok := h.storyID(w, r)
	if !ok {
		return
	}
	h.addEntry(w, r, st)
}

// AddToStory is POST /admin/story-entries: the editor's "Add to another
// story" (the story is a form field, story_id, since a form without
// script cannot choose its address).
func (h *StoriesAdmin) AddToStory(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PostFormValue("story_id"), 10, 64)
	if err != nil || id <= 0 {
		h.ui.Error(w, r, news.NotFound("story"))
		return
	}
	st, err := h.store.StoryByID(r.Context(), id)
	if err != nil {
		h.ui.Error(w, r, err)
		return
	}
	h.addEntry(w, r, st)
}

func (h *StoriesAdmin) addEntry(w http.ResponseWriter, r *http.Request, st news.Story) {
	ret := safeReturn(r.PostFormValue("return"))
	f, e, err := h.parseEntry(r, st.ID)
	if err == nil {
		err = h.store.AddStoryEntry(r.Context(), &e)
	}
	if err != nil {
		k := news.KindOf(err)
		if k != news.KindInvalid && k != news.KindConflict && k != news.KindNotFound {
			h.ui.Error(w, r, err)
			return
		}
		if ret != "" {
			// From the editor: its page is not ours to draw; say why here.
			h.ui.Error(w, r, err)
			return
		}
		h.edit(w, r, kindStatus(k), StoryEditPage{Form: StoryForm{Story: st, TagsText: strings.Join(st.Tags, ", ")}, Entry: f, EntryError: news.PublicMessage(err)})
		return
	}
	h.notify.Notify(r.Context(), news.Change{Kind: news.ChangeStory, StoryID: st.ID})
	if ret != "" {
		http.Redirect(w, r, ret+"?done="+urlQueryEscape("Added to “"+st.Title+"”"), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/stories/%d?done=Entry+added#entries", st.ID), http.StatusSeeOther)
}

// EntryEditPage is the data of stories_entry.html.
type EntryEditPage struct {
	Story news.Story
	Entry news.StoryEntry
	Form  EntryForm
	Kinds []news.EntryKind
	Error string
}

func (h *StoriesAdmin) entry(w http.ResponseWriter, r *http.Request) (news.Story, news.StoryEntry, bool) {
	st, ok := h.storyID(w, r)
	if !ok {
		return st, news.StoryEntry{}, false
	}
	eid, err := strconv.ParseInt(r.PathValue("entry"), 10, 64)
	if err == nil && eid > 0 {
		es, err := h.store.StoryEntries(r.Context(), news.EntryQuery{StoryID: st.ID, Limit: news.MaxStoryEntriesAll})
		if err != nil {
			h.ui.Error(w, r, err)
			return st, news.StoryEntry{}, false
		}
		for _, e := range es {
			if e.ID == eid {
				return st, e, true
			}
		}
	}
	h.ui.Error(w, r, news.NotFound("story entry"))
	return st, news.StoryEntry{}, false
}

// EditEntry is GET /admin/stories/{id}/entries/{entry}.
func (h *StoriesAdmin) EditEntry(w http.ResponseWriter, r *http.Request) {
	st, e, ok := h.entry(w, r)
	if !ok {
		return
	}
	f := EntryForm{Kind: e.Kind, Text: e.Text, Embed: e.Embed, Pinned: e.Pinned,
		EventAt: e.EventAt.In(h.ui.d.Config.Location).Format("2006-01-02T15:04")}
	if e.Image != nil {
		f.ImageURL, f.ImageAlt = e.Image.URL, e.Image.Alt
	}
	h.ui.Render(w, r, "stories_entry", EntryEditPage{Story: st, Entry: e, Form: f, Kinds: news.EntryKinds})
}

// SaveEntry is POST /admin/stories/{id}/entries/{entry}: kind, text,
// image, embed, event time and pin (an article entry keeps its article).
func (h *StoriesAdmin) SaveEntry(w http.ResponseWriter, r *http.Request) {
	st, cur, ok := h.entry(w, r)
	if !ok {
		return
	}
	f, e, err := h.parseEntry(r, st.ID)
	e.ID, e.ArticleID, f.ArticleID = cur.ID, cur.ArticleID, ""
	if err == nil && f.EventAt == "" {
		err = news.Invalid("event_at", "the entry needs the time the event happened")
	}
	if err == nil {
		err = h.store.UpdateStoryEntry(r.Context(), &e)
	}
	if err != nil {
		k := news.KindOf(err)
		if k != news.KindInvalid && k != news.KindNotFound {
			h.ui.Error(w, r, err)
			return
		}
		h.ui.render(w, r, kindStatus(k), "stories_entry", EntryEditPage{Story: st, Entry: cur, Form: f, Kinds: news.EntryKinds, Error: news.PublicMessage(err)})
		return
	}
	h.notify.Notify(r.Context(), news.Change{Kind: news.ChangeStory, StoryID: st.ID})
	http.Redirect(w, r, fmt.Sprintf("/admin/stories/%d?done=Entry+saved#entries", st.ID), http.StatusSeeOther)
}

// DeleteEntry is POST /admin/stories/{id}/entries/{entry}/delete.
func (h *StoriesAdmin) DeleteEntry(w http.ResponseWriter, r *http.Request) {
	st, ok := h.storyID(w, r)
	if !ok {
		return
	}
	eid, err := strconv.ParseInt(r.PathValue("entry"), 10, 64)
	if err != nil || eid <= 0 {
		h.ui.Error(w, r, news.NotFound("story entry"))
		return
	}
	if err := h.store.DeleteStoryEntry(r.Context(), st.ID, eid); err != nil {
		h.ui.Error(w, r, err)
		return
	}
	h.notify.Notify(r.Context(), news.Change{Kind: news.ChangeStory, StoryID: st.ID})
	http.Redirect(w, r, fmt.Sprintf("/admin/stories/%d?done=Entry+removed#entries", st.ID), http.StatusSeeOther)
}

// DismissFlag is POST /admin/story-flags/{id}/dismiss.
func (h *StoriesAdmin) DismissFlag(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.ui.Error(w, r, news.NotFound("story flag"))
		return
	}
	if err := h.store.DismissStoryFlag(r.Context(), id); err != nil {
		h.ui.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/stories?done=Flag+dismissed", http.StatusSeeOther)
}

// Suggestions ranks the open stories for an article (the editor's box).
func (h *StoriesAdmin) Suggestions(ctx context.Context, a news.Article) ([]news.StorySuggestion, error) {
	cands, err := h.store.StoryCandidates(ctx, h.ui.d.Now().Add(-news.SuggestWindow))
	if err != nil {
		return nil, err
	}
	return news.SuggestStories(a, cands, 3), nil
}

// ArticleEvent flags dormant stories that a newly published article
// matches (an editorial.Listener): the dashboard shows them.
func (h *StoriesAdmin) ArticleEvent(ctx context.Context, ev editorial.Event) {
	if ev.Type != editorial.EventPublish {
		return
	}
	cands, err := h.store.StoryCandidates(ctx, ev.At.Add(-news.SuggestWindow))
	if err != nil {
		h.ui.d.Logger.WarnContext(ctx, "story suggestions", "err", err)
		return
	}
	for _, s := range news.SuggestStories(ev.Article, cands, 0) {
		if s.Score < news.FlagMinScore || !s.Story.Dormant(ev.At) {
			continue
		}
		f := news.StoryFlag{StoryID: s.Story.ID, ArticleID: ev.Article.ID, Score: s.Score, CreatedAt: ev.At}
		if err := h.store.FlagStory(ctx, &f); err != nil {
			h.ui.d.Logger.WarnContext(ctx, "flag dormant story", "story", s.Story.ID, "err", err)
		}
	}
}

// Panel is the dashboard's box: dormant stories new articles matched.
func (h *StoriesAdmin) Panel(ctx context.Context, u news.StaffUser) (DashPanel, bool, error) {
	if !u.Role.AtLeast(news.RoleEditor) {
		return DashPanel{}, false, nil
	}
	p := DashPanel{Title: "Running stories", Link: "/admin/stories", LinkText: "Open the stories"}
	flags, err := h.store.StoryFlags(ctx, 5)
	if err != nil {
		return p, true, err
	}
	if len(flags) == 0 {
		p.Lines = []string{"No dormant story has a new match."}
		return p, true, nil
	}
	for _, f := range flags {
		p.Lines = append(p.Lines, "Dormant story “"+f.StoryName+"” matches the new article “"+f.Headline+"”")
	}
	p.Alert = true
	return p, true, nil
}

// StorySuggestBox is what the editor's "Running stories" box shows.
type StorySuggestBox struct {
	In          []news.Story
	Suggestions []news.StorySuggestion
	// Open are the open stories, for adding the article to one the
	// suggestions missed.
	Open []news.Story
}

// suggestBox is the editor's box for a saved article (the template
// function storySuggest); nil without the stories feature.
func (n *Newsroom) suggestBox(a news.Article) *StorySuggestBox {
	n.mu.RLock()
	h := n.stories
	n.mu.RUnlock()
	if h == nil || a.ID == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	b := &StorySuggestBox{}
	if box, err := h.store.StoryBoxOf(ctx, a.ID, h.ui.d.Now(), 1); err == nil {
		b.In = append(b.In, box.Story)
	}
	s, err := h.Suggestions(ctx, a)
	if err != nil {
		h.ui.d.Logger.Warn("story suggestions", "article", a.ID, "err", err)
	}
	b.Suggestions = s
	open, err := h.store.ListStories(ctx, news.StoryQuery{OpenOnly: true, Limit: 100})
	if err != nil {
		h.ui.d.Logger.Warn("open stories", "err", err)
	}
	for _, st := range open {
		if len(b.In) == 0 || b.In[0].ID != st.ID {
			b.Open = append(b.Open, st)
		}
	}
	return b
}
