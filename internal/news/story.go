package news

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// StoryStatus is where a running story stands.
type StoryStatus string

const (
	// StoryDeveloping: the story is moving; new entries are expected.
	StoryDeveloping StoryStatus = "developing"
	// StoryConcluded: the story is over; it is no longer offered as a
	// home for new articles.
	StoryConcluded StoryStatus = "concluded"
	// StoryDormant: nothing has happened for a while, but it may return.
	StoryDormant StoryStatus = "dormant"
)

// Valid reports whether s is a known status.
func (s StoryStatus) Valid() bool {
	switch s {
	case StoryDeveloping, StoryConcluded, StoryDormant:
		return true
	}
	return false
}

// DormantAfter is how long a developing story may go without an entry
// before the newsroom treats it as dormant.
const DormantAfter = 14 * 24 * time.Hour

// Story is a running story: an editorial curation over articles and
// short updates written in place. Summary ("what we know") is Markdown
// maintained by editors and versioned: every change is kept as a
// StorySummary.
type Story struct {
	ID         int64
	Slug       string
	Title      string
	Standfirst string
	Summary    string
	Status     StoryStatus
	SectionID  int64 // 0: none
	Tags       []string
	// Live: the story is being covered live; its pages show new entries
	// as they arrive and it is described as a LiveBlogPosting.
	Live bool
	// CoverageStart is when live coverage began (zero: not set).
	CoverageStart time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
	// LastEntryAt is the published time of the newest entry (zero: none);
	// kept by storage.
	LastEntryAt time.Time
	// SummaryVersion is the number of the summary's current version (0:
	// never written).
	SummaryVersion int
	// Version increases on every update; an update naming an older one is
	// refused (two editors never overwrite each other).
	Version int
}

// URL is the story's reader page.
func (s Story) URL() string { return "/story/" + s.Slug }

// FeedURL is the story's Atom feed.
func (s Story) FeedURL() string { return "/story/" + s.Slug + "/feed" }

// Open reports whether the story still takes new articles.
func (s Story) Open() bool { return s.Status != StoryConcluded }

// Dormant reports whether the story is dormant at now: so marked, or
// developing without an entry for DormantAfter.
func (s Story) Dormant(now time.Time) bool {
	if s.Status == StoryDormant {
		return true
	}
	last := s.LastEntryAt
	if last.IsZero() {
		last = s.CreatedAt
	}
	return s.Status == StoryDeveloping && !last.IsZero() && now.Sub(last) >= DormantAfter
}

// Limits of story fields.
const (
	MaxStoryTitle      = 200
	MaxStandfirst      = 600
	MaxStorySummary    = 20_000
	MaxEntryText       = 8_000
	MaxStoryEntriesAll = 5_000 // what one story page lists at most
)

// Validate trims and checks what an editor controls and normalises tags.
func (s *Story) Validate() error {
	s.Title = strings.TrimSpace(s.Title)
	s.Standfirst = strings.TrimSpace(s.Standfirst)
	s.Summary = strings.TrimSpace(s.Summary)
	for _, f := range []struct{ name, v string }{{"title", s.Title}, {"standfirst", s.Standfirst}, {"summary", s.Summary}} {
		if !utf8.ValidString(f.v) {
			return Invalid(f.name, "%s is not valid UTF-8 text", f.name)
		}
	}
	switch {
	case s.Title == "":
		return Invalid("title", "a story needs a title")
	case utf8.RuneCountInString(s.Title) > MaxStoryTitle:
		return Invalid("title", "the title is longer than %d characters", MaxStoryTitle)
	case utf8.RuneCountInString(s.Standfirst) > MaxStandfirst:
		return Invalid("standfirst", "the standfirst is longer than %d characters", MaxStandfirst)
	case len(s.Summary) > MaxStorySummary:
		return Invalid("summary", "the summary is longer than %d bytes", MaxStorySummary)
	case s.SectionID < 0:
		return Invalid("section", "unknown section")
	}
	if s.Slug == "" {
		s.Slug = Slugify(s.Title)
	}
	if !ValidSlug(s.Slug) {
		return Invalid("slug", "slug must be lowercase letters, digits and single hyphens (at most %d)", MaxSlug)
	}
	if s.Status == "" {
		s.Status = StoryDeveloping
	}
	if !s.Status.Valid() {
		return Invalid("status", "status must be developing, concluded or dormant")
	}
	tags, err := normalizeTags(s.Tags)
	if err != nil {
		return err
	}
	s.Tags = tags
	return nil
}

func normalizeTags(in []string) ([]string, error) {
	seen := map[string]bool{}
	tags := in[:0:0]
	for _, t := range in {
		t = NormalizeTag(t)
		if t == "" || seen[t] {
			continue
		}
		if utf8.RuneCountInString(t) > MaxTagLen || !utf8.ValidString(t) {
			return nil, Invalid("tags", "tag %q is too long", t)
		}
		seen[t] = true
		tags = append(tags, t)
	}
	if len(tags) > MaxTags {
		return nil, Invalid("tags", "at most %d tags", MaxTags)
	}
	return tags, nil
}

// EntryKind is what an entry is to the story.
type EntryKind string

const (
	EntryUpdate     EntryKind = "update"
	EntryKeyEvent   EntryKind = "key"
	EntrySummary    EntryKind = "summary"
	EntryCorrection EntryKind = "correction"
	EntryBackground EntryKind = "background"
)

// EntryKinds lists the kinds in the order forms and filters show them.
var EntryKinds = []EntryKind{EntryUpdate, EntryKeyEvent, EntrySummary, EntryCorrection, EntryBackground}

// Valid reports whether k is a known kind.
func (k EntryKind) Valid() bool {
	for _, x := range EntryKinds {
		if k == x {
			return true
		}
	}
	return false
}

// Label is the kind as readers read it.
func (k EntryKind) Label() string {
	switch k {
	case EntryKeyEvent:
		return "Key event"
	case EntrySummary:
		return "Summary"
	case EntryCorrection:
		return "Correction"
	case EntryBackground:
		return "Background"
	}
	return "Update"
}

// StoryEntry is one item of a story's chronology: an article of the paper
// (ArticleID set) or a short update written in place (Text, Markdown, with
// an optional image and an optional embed URL of an allowlisted provider).
// EventAt is when the thing happened; PublishedAt when the entry appeared.
type StoryEntry struct {
	ID          int64
	StoryID     int64
	Kind        EntryKind
	ArticleID   int64
	Text        string
	Image       *Image
	Embed       string
	EventAt     time.Time
	PublishedAt time.Time
	Pinned      bool
	CreatedBy   int64 // staff user; 0 for the CLI and the demo
	// Filled on read for article entries: the article as a list shows it
	// (headline, dek, slug, times; no body).
	Article *Article
}

// StoryEntryChanges is what open pages of a story learn besides new
// entries (StoryStore.StoryEntryChanges).
type StoryEntryChanges struct {
	Changed []StoryEntry
	Removed []int64
	// Cursor is the newest change's time (milliseconds since 1970), or 0.
	Cursor int64
}

// Anchor is the entry's fragment on the story page.
func (e StoryEntry) Anchor() string { return "entry-" + strconv.FormatInt(e.ID, 10) }

// Validate checks an entry before it is stored. The embed URL must also
// pass markup's allowlist; the newsroom checks that (news imports none of
// Byline's packages).
func (e *StoryEntry) Validate() error {
	e.Text = strings.TrimSpace(e.Text)
	e.Embed = strings.TrimSpace(e.Embed)
	if e.Kind == "" {
		e.Kind = EntryUpdate
	}
	if !e.Kind.Valid() {
		return Invalid("kind", "kind must be one of update, key, summary, correction, background")
	}
	if !utf8.ValidString(e.Text) {
		return Invalid("text", "text is not valid UTF-8")
	}
	if len(e.Text) > MaxEntryText {
		return Invalid("text", "the update is longer than %d bytes", MaxEntryText)
	}
	if e.ArticleID < 0 {
		return Invalid("article", "unknown article")
	}
	if e.ArticleID == 0 && e.Text == "" {
		return Invalid("text", "an update needs a text (or pick an article)")
	}
	if e.Image != nil {
		e.Image.URL = strings.TrimSpace(e.Image.URL)
		e.Image.Alt = strings.TrimSpace(e.Image.Alt)
		if e.Image.URL == "" {
			e.Image = nil
		} else if e.Image.Alt == "" {
			return Invalid("image", "the image needs alt text")
		} else if !strings.HasPrefix(e.Image.URL, "/media/") && !strings.HasPrefix(e.Image.URL, "https://") {
			return Invalid("image", "the image must be from the media library or an https:// address")
		}
	}
	if e.Embed != "" {
		u, err := url.Parse(e.Embed)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return Invalid("embed", "the embed must be an https:// address")
		}
	}
	return nil
}

// StorySummary is one version of a story's "what we know".
type StorySummary struct {
	StoryID   int64
	Version   int
	Summary   string
	EditorID  int64
	CreatedAt time.Time
}

// StoryQuery selects stories for lists.
type StoryQuery struct {
	Status StoryStatus // empty: every status
	// OpenOnly drops concluded stories.
	OpenOnly bool
	Limit    int
}

// EntryQuery selects a story's entries.
type EntryQuery struct {
	StoryID int64
	Kind    EntryKind // empty: every kind
	// Now is the reader's clock: article entries appear once their article
	// is visible at Now. Zero means no filter (the newsroom sees all).
	Now time.Time
	// Since keeps entries published after it (the live updates' cursor);
	// zero: no bound.
	Since time.Time
	// Pinned keeps only pinned entries (the story page's "Pinned" list).
	Pinned bool
	// Newest: order by published time, newest first (what is new); the
	// default is the chronology, by event time, newest first.
	Newest bool
	Limit  int
	Offset int
}

// StoryBox is what a member article shows of its story: "this story so
// far".
type StoryBox struct {
	Story Story
	// Latest entries, newest published first (the article itself
	// included).
	Latest []StoryEntry
	// KeyEvent is the newest key event (nil: none).
	KeyEvent *StoryEntry
	// Newer counts the entries published after this article's.
	Newer int
}

// StoryCandidate is an open story with what suggestions compare a new
// article against: the texts of its recent entries.
type StoryCandidate struct {
	Story Story
	Text  string // headlines, deks and update texts of recent entries
	Tags  []string
	// ArticleIDs are its member articles (an article already in a story
	// is not suggested that story again).
	ArticleIDs []int64
}

// StoryFlag marks a dormant story that a new article matched: the
// dashboard shows it until an editor dismisses it.
type StoryFlag struct {
	ID        int64
	StoryID   int64
	StoryName string // the story's title, filled on read
	StorySlug string
	ArticleID int64
	Headline  string // the article's, filled on read
	Score     float64
	CreatedAt time.Time
}

// StoryStore keeps running stories: stories, their entries and the
// versions of their summaries.
type StoryStore interface {
	// CreateStory stores a new story and sets its ID, Version, times and,
	// when it has a summary, records that as version 1 by editorID.
	CreateStory(ctx context.Context, s *Story, editorID int64) error
	// UpdateStory saves the story if s.Version is the stored one (else a
	// KindConflict error); a changed summary becomes a new version.
	UpdateStory(ctx context.Context, s *Story, editorID int64) error
	StoryByID(ctx context.Context, id int64) (Story, error)
	StoryBySlug(ctx context.Context, slug string) (Story, error)
	// ListStories lists stories, the most recently active first.
	ListStories(ctx context.Context, q StoryQuery) ([]Story, error)
	// StorySummaries lists a story's summary versions, newest first.
	StorySummaries(ctx context.Context, storyID int64) ([]StorySummary, error)

	// AddStoryEntry stores an entry (stamping PublishedAt, and EventAt
	// when zero) and moves the story's LastEntryAt. An article can be in
	// a story once (KindConflict).
	AddStoryEntry(ctx context.Context, e *StoryEntry) error
	// UpdateStoryEntry saves an entry's kind, text, image, embed, event
	// time and pin.
	UpdateStoryEntry(ctx context.Context, e *StoryEntry) error
	DeleteStoryEntry(ctx context.Context, storyID, entryID int64) error
	// StoryEntries lists entries, pinned ones first.
	StoryEntries(ctx context.Context, q EntryQuery) ([]StoryEntry, error)
	// StoryEntryChanges is what changed in a story after since, besides
	// new entries: entries published by then and edited since (visible
	// at now; up to limit, most recently changed first), and entries
	// removed since.
	StoryEntryChanges(ctx context.Context, storyID int64, since, now time.Time, limit int) (StoryEntryChanges, error)
	// CountStoryEntries counts the entries q selects (Limit ignored).
	CountStoryEntries(ctx context.Context, q EntryQuery) (int, error)
	// StoryBoxOf is the box of a member article, in one indexed query;
	// KindNotFound when the article is in no story.
	StoryBoxOf(ctx context.Context, articleID int64, now time.Time, latest int) (StoryBox, error)
	// StoryArticleIDs lists the member articles (for purging their pages).
	StoryArticleIDs(ctx context.Context, storyID int64) ([]int64, error)
	// StoryCandidates lists open stories with the text of their entries
	// published since.
	StoryCandidates(ctx context.Context, since time.Time) ([]StoryCandidate, error)

	// FlagStory records that a new article matched a dormant story (once
	// per pair).
	FlagStory(ctx context.Context, f *StoryFlag) error
	// StoryFlags lists undismissed flags, newest first.
	StoryFlags(ctx context.Context, limit int) ([]StoryFlag, error)
	DismissStoryFlag(ctx context.Context, id int64) error
}
