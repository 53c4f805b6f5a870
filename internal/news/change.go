package news

import "context"

// ChangeKind says what changed, so that caches drop just what they must.
type ChangeKind string

const (
	// ChangeContent: an article was published, updated, corrected or
	// unpublished; lists, feeds and sitemaps change with it.
	ChangeContent ChangeKind = "content"
	// ChangeSections: the section tree changed.
	ChangeSections ChangeKind = "sections"
	// ChangeComments: comments of one article changed; only that
	// article's pages change.
	ChangeComments ChangeKind = "comments"
	// ChangeSettings: site settings changed; every page may change.
	ChangeSettings ChangeKind = "settings"
	// ChangeStory: a running story or its entries changed; its page,
	// feed and member articles change, and its open pages are told.
	ChangeStory ChangeKind = "story"
	// ChangeAll: another process (a command-line import, restore, user
	// or token command) wrote to the database; anything may have changed,
	// so servers reload everything they keep in memory.
	ChangeAll ChangeKind = "all"
)

// Change is an event that readers' pages depend on.
type Change struct {
	Kind      ChangeKind `json:"kind"`
	ArticleID int64      `json:"article_id,omitempty"`
	StoryID   int64      `json:"story_id,omitempty"`
}

// Notifier is told of every change; the server fans it out to its caches
// and, with several servers, to the others.
type Notifier interface {
	Notify(ctx context.Context, c Change)
}

// NotifierFunc adapts a function to Notifier.
type NotifierFunc func(ctx context.Context, c Change)

// Notify calls f.
func (f NotifierFunc) Notify(ctx context.Context, c Change) { f(ctx, c) }
