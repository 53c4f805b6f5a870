package site

import (
	"html/template"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"byline/internal/markup"
	"byline/internal/news"
)

// Running stories on the reader's side: the story page (summary, key
// events, the chronology filterable by kind), its Atom feed, the live
// updates' fragment and stream, and the box on member articles.

// storyPerPage keeps a story page light (the target is < 60 KB of HTML for
// a story of 500 entries): older entries are on further pages.
const storyPerPage = 40

// StoryPage is the data of story.html.
type StoryPage struct {
	Base
	Story   news.Story
	Summary template.HTML
	Section *news.Section
	Crumbs  []Crumb
	Kind    news.EntryKind
	Kinds   []KindLink
	// Pinned are the story's pinned entries, shown in full at the top of
	// the first page of the full chronology; PinnedList says the page
	// has that list (a live story's page always has it, hidden while
	// empty, so that a first pin can appear in it without a reload).
	Pinned     []EntryView
	PinnedList bool
	KeyEvents  []EntryView
	Entries    []EntryView
	Total      int
	Pager      Pager
	Live       *LiveConfig
}

// KindLink is one choice of the chronology's filter.
type KindLink struct {
	Label, URL string
	Current    bool
}

// LiveConfig is what the live script reads from the page.
type LiveConfig struct {
	Stream, Updates string
	Since           int64 // milliseconds: the newest published entry shown
}

// EntryView is an entry as pages show it.
type EntryView struct {
	news.StoryEntry
	Body template.HTML
	// Brief is a line of plain text (lists of key events, the box).
	Brief string
	// Link is where a brief mention of the entry leads.
	Link string
	// PinnedAbove: the entry is shown in full in the page's "Pinned"
	// list, so its place in the chronology holds only a line that leads
	// there (a pinned entry is read once, at the top).
	PinnedAbove bool
}

// Label is the entry's kind as readers read it.
func (v EntryView) Label() string { return v.Kind.Label() }

func (s *Site) entryView(e news.StoryEntry) EntryView {
	v := EntryView{StoryEntry: e}
	src := e.Text
	if e.Embed != "" {
		// An embed URL on a paragraph of its own is markup's click-to-load
		// embed (and nothing at all when it is not allowlisted).
		src += "\n\n" + e.Embed
	}
	if strings.TrimSpace(src) != "" {
		v.Body = s.md.HTML(src)
	}
	if e.Article != nil {
		v.Brief = e.Article.Headline
	} else {
		v.Brief = markup.Summary(s.md.Text(e.Text), 160)
	}
	v.Link = "#" + e.Anchor()
	return v
}

func (s *Site) entryViews(es []news.StoryEntry) []EntryView {
	out := make([]EntryView, len(es))
	for i, e := range es {
		out[i] = s.entryView(e)
	}
	return out
}

// StoriesPage is the data of stories.html: every running story, live
// and developing ones first.
type StoriesPage struct {
	Base
	Crumbs  []Crumb
	Open    []news.Story
	Settled []news.Story
}

// Stories answers /stories: the index of running stories, so a reader
// (and a search engine) reaches a story without knowing a member article.
func (s *Site) Stories(w http.ResponseWriter, r *http.Request) {
	all, err := s.store.ListStories(r.Context(), news.StoryQuery{Limit: 200})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	p := StoriesPage{Base: s.base("Running stories", "Every story the paper follows as it develops, with what we know so far.", "/stories")}
	p.Crumbs = []Crumb{{Name: "Home", URL: "/"}, {Name: "Running stories"}}
	var lastMod time.Time
	for _, st := range all {
		if st.Open() {
			p.Open = append(p.Open, st)
		} else {
			p.Settled = append(p.Settled, st)
		}
		lastMod = maxTime(lastMod, maxTime(st.UpdatedAt, st.LastEntryAt))
	}
	// Live coverage heads the list; otherwise the store's order (most
	// recently active first) stands.
	sort.SliceStable(p.Open, func(i, j int) bool { return p.Open[i].Live && !p.Open[j].Live })
	s.html(w, r, http.StatusOK, "stories", p, lastMod)
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// loadStory finds a story by the {slug} of the path or answers 404.
func (s *Site) loadStory(w http.ResponseWriter, r *http.Request) (news.Story, bool) {
	slug := r.PathValue("slug")
	if !news.ValidSlug(slug) {
		s.NotFound(w, r)
		return news.Story{}, false
	}
	st, err := s.store.StoryBySlug(r.Context(), slug)
	if err != nil {
		s.Error(w, r, err)
		return st, false
	}
	return st, true
}

// kindParam reads ?kind=: empty is every kind, an unknown one a 400.
func kindParam(r *http.Request) (news.EntryKind, error) {
	k := news.EntryKind(r.URL.Query().Get("kind"))
	if k != "" && !k.Valid() {
		return "", news.Invalid("kind", "kind must be one of update, key, summary, correction, background")
	}
	return k, nil
}

// Story answers /story/{slug}: the story page.
func (s *Site) Story(w http.ResponseWriter, r *http.Request) {
	st, ok := s.loadStory(w, r)
	if !ok {
		return
	}
	kind, err := kindParam(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	page, err := pageParam(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	ctx, now := r.Context(), s.now()
	q := news.EntryQuery{StoryID: st.ID, Kind: kind, Now: now}
	total, err := s.store.CountStoryEntries(ctx, q)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	q.Limit, q.Offset = storyPerPage, (page-1)*storyPerPage
	entries, err := s.store.StoryEntries(ctx, q)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if page > 1 && len(entries) == 0 {
		s.NotFound(w, r)
		return
	}
	desc := st.Standfirst
	if desc == "" {
		desc = markup.Summary(s.md.Text(st.Summary), 160)
	}
	p := StoryPage{Base: s.base(st.Title, desc, st.URL()), Story: st, Kind: kind, Total: total, Entries: s.entryViews(entries)}
	if st.Summary != "" {
		p.Summary = s.md.HTML(st.Summary)
	}
	p.Crumbs = []Crumb{{Name: "Home", URL: "/"}}
	if sec, ok := s.Tree().ByID(st.SectionID); ok && st.SectionID != 0 {
		p.Section = &sec
		p.Crumbs = s.crumbsFor(s.Tree(), sec.ID, true)
		p.Current = strings.SplitN(sec.Path, "/", 2)[0]
	}
	p.Crumbs = append(p.Crumbs, Crumb{Name: st.Title})
	p.Feeds = append(p.Feeds, FeedLink{Title: st.Title + " (Atom)", URL: st.FeedURL(), Type: "application/atom+xml"})
	p.Kinds = append(p.Kinds, KindLink{Label: "All", URL: st.URL(), Current: kind == ""})
	for _, k := range news.EntryKinds {
		p.Kinds = append(p.Kinds, KindLink{Label: k.Label(), URL: st.URL() + "?kind=" + string(k), Current: kind == k})
	}
	p.Pager = storyPager(st.URL(), kind, page, total)
	if page > 1 || kind != "" {
		p.Robots = "noindex, follow"
	}
	// Pinned entries (in full) and key events (briefs) head the first
	// page of the full chronology. A pinned entry is shown once: in the
	// "Pinned" list, out of the key events' briefs, and its place in the
	// chronology is a line leading up to it.
	var newest time.Time
	if kind == "" && page == 1 {
		pins, err := s.store.StoryEntries(ctx, news.EntryQuery{StoryID: st.ID, Now: now, Pinned: true, Limit: maxPinned})
		if err != nil {
			s.Error(w, r, err)
			return
		}
		p.Pinned, p.PinnedList = s.entryViews(pins), len(pins) > 0 || st.Live
		pinned := make(map[int64]bool, len(pins))
		for _, e := range pins {
			pinned[e.ID] = true
		}
		for i := range p.Entries {
			p.Entries[i].PinnedAbove = pinned[p.Entries[i].ID]
		}
		keys, err := s.store.StoryEntries(ctx, news.EntryQuery{StoryID: st.ID, Kind: news.EntryKeyEvent, Now: now, Limit: maxKeyEvents + len(pins)})
		if err != nil {
			s.Error(w, r, err)
			return
		}
		keys = slices.DeleteFunc(keys, func(e news.StoryEntry) bool { return pinned[e.ID] })
		p.KeyEvents = s.entryViews(keys[:min(len(keys), maxKeyEvents)])
		for i := range p.KeyEvents {
			// The key events' own list holds them all, oldest beyond page 1.
			p.KeyEvents[i].Link = st.URL() + "?kind=key#" + p.KeyEvents[i].Anchor()
		}
		if st.Live {
			latest, err := s.store.StoryEntries(ctx, news.EntryQuery{StoryID: st.ID, Now: now, Newest: true, Limit: 10})
			if err != nil {
				s.Error(w, r, err)
				return
			}
			if len(latest) > 0 {
				newest = latest[0].PublishedAt
			}
			p.Live = &LiveConfig{Stream: st.URL() + "/live", Updates: st.URL() + "/updates", Since: cursor(newest, now)}
			p.JSONLD = append(p.JSONLD, s.liveBlogLD(st, desc, latest))
		}
	}
	if p.JSONLD == nil {
		p.JSONLD = append(p.JSONLD, s.storyLD(st, desc))
	}
	p.JSONLD = append(p.JSONLD, s.breadcrumbLD(p.Crumbs, st.URL()))
	lastMod := st.UpdatedAt
	if st.LastEntryAt.After(lastMod) {
		lastMod = st.LastEntryAt
	}
	s.html(w, r, http.StatusOK, "story", p, lastMod)
}

// maxKeyEvents is how many key events head a story page; maxPinned how
// many pinned entries (editors pin one or two; the rest stay in the
// chronology, in full).
const (
	maxKeyEvents = 5
	maxPinned    = 10
)

// cursor is the live updates' starting point: the newest entry shown, or
// the render's clock when none is.
func cursor(newest, now time.Time) int64 {
	if newest.IsZero() {
		return now.UnixMilli()
	}
	return newest.UnixMilli()
}

func storyPager(path string, kind news.EntryKind, page, total int) Pager {
	p := Pager{Page: page, Pages: max(1, (total+storyPerPage-1)/storyPerPage)}
	at := func(n int) string {
		v := url.Values{}
		if kind != "" {
			v.Set("kind", string(kind))
		}
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		if len(v) == 0 {
			return path
		}
		return path + "?" + v.Encode()
	}
	if page > 1 {
		p.PrevURL = at(page - 1)
	}
	if page < p.Pages {
		p.NextURL = at(page + 1)
	}
	return p
}

func (s *Site) storyLD(st news.Story, desc string) template.JS {
	return ld(ldThing{"@context": "https://schema.org", "@type": "CollectionPage", "name": st.Title, "description": desc,
		"url": s.abs(st.URL()), "publisher": s.publisherLD(), "inLanguage": s.cfg.Lang})
}

// liveBlogLD describes a live story (schema.org LiveBlogPosting) with its
// newest updates.
func (s *Site) liveBlogLD(st news.Story, desc string, latest []news.StoryEntry) template.JS {
	updates := make([]ldThing, 0, len(latest))
	for _, e := range latest {
		u := ldThing{"@type": "BlogPosting", "datePublished": e.PublishedAt.Format(timeRFC3339), "url": s.abs(st.URL() + "#" + e.Anchor())}
		if e.Article != nil {
			u["headline"] = markup.Summary(e.Article.Headline, 110)
			u["url"] = s.abs(e.Article.URL())
		} else {
			text := s.md.Text(e.Text)
			u["headline"] = markup.Summary(text, 110)
			u["articleBody"] = text
		}
		updates = append(updates, u)
	}
	v := ldThing{"@context": "https://schema.org", "@type": "LiveBlogPosting", "headline": markup.Summary(st.Title, 110), "description": desc,
		"url": s.abs(st.URL()), "mainEntityOfPage": ldThing{"@type": "WebPage", "@id": s.abs(st.URL())},
		"datePublished": st.CreatedAt.Format(timeRFC3339), "publisher": s.publisherLD(), "inLanguage": s.cfg.Lang,
		"coverageStartTime": st.CoverageStart.Format(timeRFC3339), "liveBlogUpdate": updates}
	if !st.LastEntryAt.IsZero() {
		v["dateModified"] = st.LastEntryAt.Format(timeRFC3339)
	}
	if st.Status == news.StoryConcluded && !st.LastEntryAt.IsZero() {
		v["coverageEndTime"] = st.LastEntryAt.Format(timeRFC3339)
	}
	return ld(v)
}

// UpdatesPage is the data of story_updates.html: entries published after
// the reader's cursor, as list items for the page or the member box.
type UpdatesPage struct {
	Story   news.Story
	Entries []EntryView
	// Changed are entries already shown and edited since (the script
	// replaces them); Pinned the pinned ones among both, in full, for the
	// page's "Pinned" list (where they are the chronology holds a line).
	Changed []EntryView
	Pinned  []EntryView
	Box     bool
}

// maxLiveFetch is the most entries one live fetch returns; a reader who
// was away longer reloads the page for the rest.
const maxLiveFetch = 50

// StoryUpdates answers /story/{slug}/updates?since=MS[&view=box]: the
// entries published after since, newest first, as HTML list items, then
// the entries edited since (X-Story-Changed of them) and, on the page
// view, the pinned ones among both in full (li[data-pin-entry]);
// X-Story-Removed lists entries removed since, and X-Story-Cursor is the
// next since. It is what the live script applies (after a stream's
// signal, or by polling where streams fail).
func (s *Site) StoryUpdates(w http.ResponseWriter, r *http.Request) {
	st, ok := s.loadStory(w, r)
	if !ok {
		return
	}
	ms, err := strconv.ParseInt(r.URL.Query().Get("since"), 10, 64)
	if err != nil || ms < 0 {
		s.Error(w, r, news.Invalid("since", "since must be a time in milliseconds since 1970"))
		return
	}
	view := r.URL.Query().Get("view")
	if view != "" && view != "box" && view != "page" {
		s.Error(w, r, news.Invalid("view", "view must be page or box"))
		return
	}
	since := time.UnixMilli(ms).UTC()
	list, err := s.store.StoryEntries(r.Context(), news.EntryQuery{StoryID: st.ID, Now: s.now(), Since: since, Newest: true, Limit: maxLiveFetch})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	// Edits (pins included) and removals of entries the reader has.
	ch, err := s.store.StoryEntryChanges(r.Context(), st.ID, since, s.now(), maxLiveFetch)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	next := max(ms, ch.Cursor)
	for _, e := range list {
		next = max(next, e.PublishedAt.UnixMilli())
	}
	p := UpdatesPage{Story: st, Entries: s.entryViews(list), Changed: s.entryViews(ch.Changed), Box: view == "box"}
	if !p.Box {
		// The page view is the live page: the first page of the full
		// chronology, which has the "Pinned" list.
		for _, l := range [][]EntryView{p.Entries, p.Changed} {
			for i := range l {
				if l[i].Pinned {
					p.Pinned = append(p.Pinned, l[i])
					l[i].PinnedAbove = true
				}
			}
		}
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Story-Cursor", strconv.FormatInt(next, 10))
	h.Set("X-Story-Count", strconv.Itoa(len(list)))
	h.Set("X-Story-Changed", strconv.Itoa(len(ch.Changed)))
	if len(ch.Removed) > 0 {
		ids := make([]string, len(ch.Removed))
		for i, id := range ch.Removed {
			ids[i] = strconv.FormatInt(id, 10)
		}
		h.Set("X-Story-Removed", strings.Join(ids, ","))
	}
	if err := s.pages.Render(w, "story_updates", p); err != nil {
		s.logger.ErrorContext(r.Context(), "render", "page", "story_updates", "err", err)
	}
}

// StoryFeed answers /story/{slug}/feed: the story's Atom feed.
func (s *Site) StoryFeed(w http.ResponseWriter, r *http.Request) {
	st, ok := s.loadStory(w, r)
	if !ok {
		return
	}
	list, err := s.store.StoryEntries(r.Context(), news.EntryQuery{StoryID: st.ID, Now: s.now(), Newest: true, Limit: feedSize})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	desc := st.Standfirst
	if desc == "" {
		desc = "The running story " + st.Title + " from " + s.cfg.Name + "."
	}
	m := feedModel{Title: st.Title + " | " + s.cfg.Name, Description: desc, PageURL: s.abs(st.URL()), SelfURL: s.abs(st.FeedURL())}
	host := "localhost"
	if u, err := url.Parse(s.cfg.BaseURL); err == nil && u.Hostname() != "" {
		host = strings.ToLower(u.Hostname())
	}
	for _, e := range list {
		it := feedItem{
			ID:        "tag:" + host + "," + st.CreatedAt.UTC().Format("2006-01-02") + ":story/" + strconv.FormatInt(st.ID, 10) + "/entry/" + strconv.FormatInt(e.ID, 10),
			URL:       s.abs(st.URL() + "#" + e.Anchor()),
			Published: e.PublishedAt,
			Updated:   e.PublishedAt,
			Tags:      []string{string(e.Kind)},
		}
		v := s.entryView(e)
		if e.Article != nil {
			it.URL, it.Title, it.Summary = s.abs(e.Article.URL()), e.Article.Headline, e.Article.Dek
		} else {
			text := s.md.Text(e.Text)
			it.Title = e.Kind.Label() + ": " + markup.Summary(text, 80)
			it.Summary = markup.Summary(text, 280)
		}
		if v.Body != "" {
			it.Content = absolutizeHTML(string(v.Body), s.cfg.BaseURL)
		} else {
			it.Content = template.HTMLEscapeString(it.Summary)
		}
		if e.Image != nil {
			img := *e.Image
			img.URL = s.absURL(img.URL)
			it.Image = &img
		}
		m.Items = append(m.Items, it)
		if e.PublishedAt.After(m.Updated) {
			m.Updated = e.PublishedAt
		}
	}
	if m.Updated.IsZero() {
		m.Updated = st.CreatedAt
	}
	body, err := s.atom(m)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.sendFeed(w, typeAtom, body, m.Updated)
}

// StoryBoxView is what article.html shows of the story an article is in.
type StoryBoxView struct {
	Story    news.Story
	Latest   []EntryView
	KeyEvent *EntryView
	Newer    int
	Live     *LiveConfig
	// Self is the member article's id: its own entry is marked.
	Self int64
}

// storyBox loads the member box of an article (one query), or nil.
func (s *Site) storyBox(r *http.Request, a news.Article) *StoryBoxView {
	now := s.now()
	box, err := s.store.StoryBoxOf(r.Context(), a.ID, now, 3)
	if err != nil {
		if !news.IsNotFound(err) {
			s.logger.WarnContext(r.Context(), "story box", "article", a.ID, "err", err)
		}
		return nil
	}
	v := &StoryBoxView{Story: box.Story, Latest: s.entryViews(box.Latest), Newer: box.Newer, Self: a.ID}
	if box.KeyEvent != nil {
		k := s.entryView(*box.KeyEvent)
		v.KeyEvent = &k
	}
	if box.Story.Live {
		var newest time.Time
		if len(box.Latest) > 0 {
			newest = box.Latest[0].PublishedAt
		}
		v.Live = &LiveConfig{Stream: box.Story.URL() + "/live", Updates: box.Story.URL() + "/updates", Since: cursor(newest, now)}
	}
	return v
}

// isPartOfLD is the member article's link to its story in NewsArticle.
func (s *Site) isPartOfLD(st news.Story) ldThing {
	typ := "CreativeWork"
	if st.Live {
		typ = "LiveBlogPosting"
	}
	return ldThing{"@type": typ, "@id": s.abs(st.URL()), "name": st.Title, "url": s.abs(st.URL())}
}

// streamPing keeps an idle stream's connection open through proxies that
// close silent ones.
const streamPing = 25 * time.Second

// StoryLive answers /story/{slug}/live: a Server-Sent Events stream that
// sends "entry" whenever the story changes (on this server or, through
// the change bus, on another). The page then fetches StoryUpdates since
// its cursor. The stream lifts the server's write timeout for itself and
// ends when the hub closes, so a graceful shutdown is not held up.
func (s *Site) StoryLive(w http.ResponseWriter, r *http.Request) {
	st, ok := s.loadStory(w, r)
	if !ok {
		return
	}
	if s.hub == nil {
		s.NotFound(w, r)
		return
	}
	rc := http.NewResponseController(w)
	if err := rc.SetWriteDeadline(time.Time{}); err != nil {
		s.logger.DebugContext(r.Context(), "live stream: cannot lift the write deadline", "err", err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: pass events through at once
	ch, cancel := s.hub.Subscribe(st.ID)
	defer cancel()
	w.WriteHeader(http.StatusOK)
	// retry: how long a browser waits before reconnecting (to another
	// server, after this one shut down).
	if _, err := io.WriteString(w, "retry: 3000\n: connected\n\n"); err != nil {
		return
	}
	if rc.Flush() != nil {
		return
	}
	ping := time.NewTicker(streamPing)
	defer ping.Stop()
	id := strconv.FormatInt(st.ID, 10)
	for {
		var msg string
		select {
		case <-r.Context().Done():
			return
		case <-s.hub.Done():
			return
		case <-ch:
			msg = "event: entry\ndata: " + id + "\n\n"
		case <-ping.C:
			msg = ": ping\n\n"
		}
		if _, err := io.WriteString(w, msg); err != nil {
			return
		}
		if rc.Flush() != nil {
			return
		}
	}
}
