package news

import (
	"context"
	"strings"
	"time"
)

// CommentStatus is where a reader's comment stands.
type CommentStatus string

const (
	// CommentPending waits for a moderator (site in hold mode, spam rule,
	// first comment, or too many reports).
	CommentPending CommentStatus = "pending"
	// CommentApproved is shown to every reader.
	CommentApproved CommentStatus = "approved"
	// CommentRejected was refused by a moderator under a policy clause.
	CommentRejected CommentStatus = "rejected"
	// CommentRemoved was taken down by a moderator under a clause.
	CommentRemoved CommentStatus = "removed"
	// CommentDeleted was deleted by its author; kept as a "deleted" stub
	// while it has replies.
	CommentDeleted CommentStatus = "deleted"
)

// Valid reports whether s is known.
func (s CommentStatus) Valid() bool {
	switch s {
	case CommentPending, CommentApproved, CommentRejected, CommentRemoved, CommentDeleted:
		return true
	}
	return false
}

// Comment is one reader comment. Body is plain text (NFC, trimmed);
// pages turn it into HTML with links made safe.
type Comment struct {
	ID        int64
	ArticleID int64
	// ParentID is the top-level comment this one answers (one level).
	ParentID int64
	ReaderID int64 // 0 for imported comments without a reader
	// AuthorName is the name shown (the reader's display name, or the
	// imported author's).
	AuthorName string
	// ReplyTo is the display name of the comment answered ("@name").
	ReplyTo string
	Body    string
	Status  CommentStatus
	// Clause is the policy clause a moderator applied ("3").
	Clause string
	// Shadow: written by a shadow-banned reader; only its author sees it.
	Shadow     bool
	Recommends int
	Reports    int
	ReplyCount int // approved replies
	Edited     bool
	CreatedAt  time.Time
	EditedAt   time.Time
	// IPHash is a salted hash of the writer's address (for rate rules and
	// moderators), never the address itself.
	IPHash string
	// ExternalID keys imported comments ("wp:123") so imports repeat
	// safely.
	ExternalID string
	Replies    []Comment
}

// Visible reports whether every reader may see c.
func (c Comment) Visible() bool { return c.Status == CommentApproved && !c.Shadow }

// CommentSort orders a thread.
type CommentSort string

const (
	SortNewest CommentSort = "newest"
	SortOldest CommentSort = "oldest"
	SortTop    CommentSort = "top" // most recommended
)

// CommentQuery selects top-level comments of an article, with their
// replies.
type CommentQuery struct {
	ArticleID int64
	Sort      CommentSort
	Limit     int
	Offset    int
}

// CommentPage is a page of top-level comments and how many there are.
type CommentPage struct {
	Comments []Comment
	Total    int // visible top-level comments
}

// CommentReport is a reader's report of a comment under a clause.
type CommentReport struct {
	ID        int64
	CommentID int64
	ReaderID  int64
	Clause    string
	Note      string
	CreatedAt time.Time
}

// ModerationQueueItem is a comment that waits for a moderator, with its
// article's headline and its reports.
type ModerationQueueItem struct {
	Comment  Comment
	Headline string
	Reports  []CommentReport
}

// ArticleCommentMode is the per-article switch.
type ArticleCommentMode string

const (
	CommentsOpen   ArticleCommentMode = "open"
	CommentsClosed ArticleCommentMode = "closed" // shown, no new comments
	CommentsHidden ArticleCommentMode = "hidden" // neither shown nor taken
)

// Valid reports whether m is known.
func (m ArticleCommentMode) Valid() bool {
	return m == CommentsOpen || m == CommentsClosed || m == CommentsHidden
}

// RecentComment is a reader's recent comment for the spam rules.
type RecentComment struct {
	Body      string
	CreatedAt time.Time
}

// CommentTarget is an article as the comment rules see it.
type CommentTarget struct {
	ID           int64
	Slug         string
	Headline     string
	Status       Status
	PublishedAt  time.Time
	EmbargoUntil time.Time
	Mode         ArticleCommentMode
	CommentCount int
}

// Visible reports whether readers may see the article at now.
func (t CommentTarget) Visible(now time.Time) bool {
	return Article{Status: t.Status, PublishedAt: t.PublishedAt, EmbargoUntil: t.EmbargoUntil}.Visible(now)
}

// URL is the article's path.
func (t CommentTarget) URL() string { return Article{ID: t.ID, Slug: t.Slug}.URL() }

// CommentStore keeps comments, recommendations and reports. Every method
// that changes what readers see keeps articles.comment_count (approved,
// non-shadow comments) right in the same transaction.
type CommentStore interface {
	// CreateComment stores c and sets ID and CreatedAt. A ParentID must
	// name a top-level comment of the same article (replies to replies
	// are attached to the top-level comment by the caller).
	CreateComment(ctx context.Context, c *Comment) error
	// ImportComment stores an imported comment keyed by c.ExternalID
	// (required); importing the same ExternalID again changes nothing and
	// sets c.ID to the stored one. ReaderID may be 0.
	ImportComment(ctx context.Context, c *Comment) error
	CommentByID(ctx context.Context, id int64) (Comment, error)
	// ListComments lists visible top-level comments (and deleted stubs
	// that have visible replies) with their visible replies.
	ListComments(ctx context.Context, q CommentQuery) (CommentPage, error)
	// ReaderCommentsOn lists every comment of a reader on an article,
	// whatever its status (for the reader's own view).
	ReaderCommentsOn(ctx context.Context, readerID, articleID int64) ([]Comment, error)
	// ReaderComments lists a reader's comments, newest first.
	ReaderComments(ctx context.Context, readerID int64, limit, offset int) ([]Comment, error)
	// EditComment replaces the body and marks the comment edited.
	EditComment(ctx context.Context, id int64, body string, at time.Time) error
	// SetCommentStatus moves a comment to status citing clause.
	SetCommentStatus(ctx context.Context, id int64, status CommentStatus, clause string) error
	// RecommendComment records one recommendation per reader (a second
	// is a KindConflict error) and returns the new count.
	RecommendComment(ctx context.Context, commentID, readerID int64) (int, error)
	// ReaderRecommendations lists which of an article's comments the
	// reader recommended.
	ReaderRecommendations(ctx context.Context, readerID, articleID int64) ([]int64, error)
	// ReportComment records one report per reader (again: KindConflict)
	// and returns the comment's report count.
	ReportComment(ctx context.Context, r *CommentReport) (int, error)
	// ModerationQueue lists pending comments and visible ones with
	// reports not yet resolved, oldest first.
	ModerationQueue(ctx context.Context, limit, offset int) ([]ModerationQueueItem, error)
	// ResolveReports marks a comment's reports handled.
	ResolveReports(ctx context.Context, commentID int64) error
	// ExportComments lists every comment of one article (articleID > 0)
	// or of the site, oldest first, whatever its status.
	ExportComments(ctx context.Context, articleID int64) ([]Comment, error)
	// RecentComments lists a reader's comments since t, newest first, at
	// most 50 (for spam rules).
	RecentComments(ctx context.Context, readerID int64, since time.Time) ([]RecentComment, error)
	// CommentTarget is what posting needs to know of an article, in one
	// cheap read.
	CommentTarget(ctx context.Context, articleID int64) (CommentTarget, error)
	// CountReaderComments counts every comment a reader ever wrote.
	CountReaderComments(ctx context.Context, readerID int64) (int, error)
	ArticleCommentMode(ctx context.Context, articleID int64) (ArticleCommentMode, error)
	SetArticleCommentMode(ctx context.Context, articleID int64, m ArticleCommentMode) error
}

// Validate checks what storage requires of any comment, whatever its
// source (a reader, an import): the reader-facing rules (length,
// normalisation, links) are internal/comments' job before this.
func (c *Comment) Validate() error {
	if c.ArticleID <= 0 {
		return Invalid("article_id", "a comment needs an article")
	}
	if strings.TrimSpace(c.Body) == "" && c.Status != CommentDeleted {
		return Invalid("body", "a comment needs text")
	}
	if !c.Status.Valid() {
		return Invalid("status", "unknown comment status %q", c.Status)
	}
	if strings.TrimSpace(c.AuthorName) == "" {
		return Invalid("author_name", "a comment needs an author name")
	}
	return nil
}

// Validate refuses a status Byline does not know.
func (s CommentStatus) Validate() error {
	if !s.Valid() {
		return Invalid("status", "unknown comment status %q", s)
	}
	return nil
}

// Validate refuses a mode other than open, closed or hidden.
func (m ArticleCommentMode) Validate() error {
	if !m.Valid() {
		return Invalid("mode", "comment mode must be open, closed or hidden")
	}
	return nil
}

// Validate requires the clause of the policy a report says is broken.
func (r *CommentReport) Validate() error {
	if r.Clause == "" {
		return Invalid("clause", "a report names the rule of the policy the comment breaks")
	}
	return nil
}

// ValidateText refuses an edit that leaves a comment without text.
func ValidateText(body string) error {
	if strings.TrimSpace(body) == "" {
		return Invalid("body", "a comment needs text")
	}
	return nil
}

// ValidateImport requires the id the comment had where it came from,
// which keeps an import from storing it twice.
func (c *Comment) ValidateImport() error {
	if c.ExternalID == "" {
		return Invalid("external_id", "an imported comment needs an external id")
	}
	return nil
}
