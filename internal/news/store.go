package news

import (
	"context"
	"time"
)

// ArticleQuery selects articles for lists. The zero value lists the newest
// visible articles of the whole paper.
type ArticleQuery struct {
	// SectionIDs limits to these sections (a section and its subtree).
	SectionIDs []int64
	Tag        string // normalised tag
	AuthorID   int64
	TopOnly    bool
	// Status: empty means "visible to readers at Now".
	Status Status
	// Now is the reader's clock for visibility; zero means time.Now().
	Now time.Time
	// Since/Until bound PublishedAt (inclusive/exclusive); zero: open.
	Since, Until time.Time
	Limit        int
	Offset       int
	// WithBody loads Body and BodyText; lists usually don't need them.
	WithBody bool
	// SkipTotal leaves ArticlePage.Total at 0: counting every match costs
	// more than the page itself on a large archive, and lists without a
	// pager (home page blocks, related articles, feeds) don't need it.
	SkipTotal bool
}

// ArticlePage is one page of a list and the total count of matches.
type ArticlePage struct {
	Articles []Article
	Total    int
}

// SearchQuery is a reader's search.
type SearchQuery struct {
	Text       string
	SectionIDs []int64
	Since      time.Time
	Until      time.Time
	Now        time.Time
	Limit      int
	Offset     int
}

// SearchHit is one search result. Snippet is plain text in which the
// matched terms are wrapped in HighlightStart / HighlightEnd. Rank orders
// hits: lower is better.
type SearchHit struct {
	Article Article
	Snippet string
	Rank    float64
}

// Markers that storage engines put around matched terms in snippets. They
// are control characters that never occur in stored text, so the page can
// escape the snippet and then turn the markers into <mark> elements.
const (
	HighlightStart = "\x02"
	HighlightEnd   = "\x03"
)

// SearchResult is a page of hits and the number of all hits.
type SearchResult struct {
	Hits  []SearchHit
	Total int
	// TotalIsLowerBound: engines rank only the newest matches of a very
	// common query; more than Total articles match.
	TotalIsLowerBound bool
}

// TagCount is a tag with the number of visible articles that carry it.
type TagCount struct {
	Tag   string
	Count int
}

// SectionStore keeps the section tree.
type SectionStore interface {
	ListSections(ctx context.Context) ([]Section, error)
	CreateSection(ctx context.Context, s *Section) error
	UpdateSection(ctx context.Context, s *Section) error
}

// AuthorStore keeps authors.
type AuthorStore interface {
	CreateAuthor(ctx context.Context, a *Author) error
	UpdateAuthor(ctx context.Context, a *Author) error
	AuthorByID(ctx context.Context, id int64) (Author, error)
	AuthorBySlug(ctx context.Context, slug string) (Author, error)
	ListAuthors(ctx context.Context) ([]Author, error)
}

// ArticleStore keeps articles, their tags, bylines and corrections.
type ArticleStore interface {
	// CreateArticle stores a new article and sets its ID, Version and
	// times. Authors are referenced by ID.
	CreateArticle(ctx context.Context, a *Article) error
	// UpdateArticle saves a whole article if a.Version is the stored
	// version (else a KindConflict error) and increments a.Version.
	UpdateArticle(ctx context.Context, a *Article) error
	// ArticleByID loads an article whatever its status, with body,
	// section, authors, tags and corrections.
	ArticleByID(ctx context.Context, id int64) (Article, error)
	ListArticles(ctx context.Context, q ArticleQuery) (ArticlePage, error)
	// AddCorrection appends a public note and stamps c.ID and c.CreatedAt
	// (when zero).
	AddCorrection(ctx context.Context, c *Correction) error
	// ListCorrections lists notes of visible articles, newest first.
	ListCorrections(ctx context.Context, limit, offset int) ([]Correction, error)
	ListTags(ctx context.Context, limit int) ([]TagCount, error)
	Search(ctx context.Context, q SearchQuery) (SearchResult, error)
	// TidySearch brings search back to full speed after many articles
	// were written at once (an import): SQLite merges its full-text index
	// into one segment, PostgreSQL reads new statistics of the words,
	// from which search picks its path. It may take seconds on a large
	// archive; searches go on meanwhile.
	TidySearch(ctx context.Context) error
	// SearchUpkeep does what TidySearch does when search has drifted from
	// the archive a paper grew into, and reports whether it did. A server
	// calls it every hour. PostgreSQL rebuilds its masks of the commonest
	// words when more than one in twenty of the 500 words ANALYZE now
	// finds commonest are outside the last choice (while articles go on being
	// written; one server at a time); SQLite, whose full-text index merges
	// its segments as it grows, has nothing to do.
	SearchUpkeep(ctx context.Context) (bool, error)
	// CountArticles counts articles of every status.
	CountArticles(ctx context.Context) (int, error)
}

// Store is everything Byline keeps: one required interface. Engines
// (SQLite, PostgreSQL) implement all of it and pass the conformance suite
// in store/storetest; a feature that needs storage extends it (no
// optional interfaces to sniff for, so no fallback that never runs).
type Store interface {
	SectionStore
	AuthorStore
	ArticleStore
	ContentStore
	CommentStore
	ReaderStore
	ModerationStore
	DecisionStore
	NewsroomStore
	OwnershipStore
	MediaStore
	WebhookStore
	ImportStore
	GlossaryStore
	VisibilityWatcher
	RateLimitStore
	StoryStore
	TrackerStore
	RuleStore
	PendingStore
	SearchStore
	MailStore
	BanStore
	// Ping checks the database is reachable (for /readyz).
	Ping(ctx context.Context) error
	// Classify recognises the engine's own errors for "the database
	// cannot be reached" and "the disk is full" and returns them wrapped
	// as Unavailable or StorageFull; any other error comes back as it is.
	Classify(err error) error
	Close() error
}

// RateLimitStore keeps token buckets that every server on the database
// shares (comment rate limits on PostgreSQL, so that N servers allow the
// rate of one).
type RateLimitStore interface {
	// TakeToken takes one token from the bucket key, which refills at
	// perMinute a minute up to burst; false when it is empty. A limit of
	// 0 or less is no limit.
	TakeToken(ctx context.Context, key string, perMinute float64, burst int, now time.Time) (bool, error)
	// SweepTokens forgets buckets untouched since before.
	SweepTokens(ctx context.Context, before time.Time) error
}

// VisibilityWatcher tells when time
// alone (a publication time or an embargo passing) changed what readers
// see.
type VisibilityWatcher interface {
	VisibilityChanged(ctx context.Context, since, until time.Time) (bool, error)
}
