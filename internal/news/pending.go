package news

import (
	"context"
	"time"
)

// PendingDraft is a draft of changes to a published article: what an
// editor saved without touching the live version. Readers, feeds and the
// API keep seeing the live article until the draft is published (by
// hand, or at PublishAt by the scheduler) or discarded. There is at most
// one per article.
type PendingDraft struct {
	ArticleID int64
	// BaseVersion is the live article's version when the draft was
	// saved: the editor warns when the live article has moved on since.
	BaseVersion int
	// Seq counts the draft's saves (1 for the first); a save naming an
	// older Seq is refused, so two editors never overwrite each other's
	// draft of changes.
	Seq       int
	UserID    int64
	UserName  string
	SavedAt   time.Time
	PublishAt time.Time // zero: not scheduled
	// Snapshot holds the changed content (headline, body, bylines, …).
	Snapshot Article
}

// PendingStore keeps drafts of changes to published articles.
type PendingStore interface {
	// PutPendingDraft stores d. d.Seq must be the stored draft's Seq (0:
	// there must be none), else a KindConflict error; on success d.Seq is
	// the new one and d.SavedAt is set when zero. An unknown article is
	// KindNotFound.
	PutPendingDraft(ctx context.Context, d *PendingDraft) error
	// PendingDraft loads the draft of changes of an article (KindNotFound
	// when there is none).
	PendingDraft(ctx context.Context, articleID int64) (PendingDraft, error)
	// DeletePendingDraft removes the draft of an article if its Seq is
	// seq: KindNotFound when there is none, KindConflict when it was
	// saved again since.
	DeletePendingDraft(ctx context.Context, articleID int64, seq int) error
	// ClaimDuePendingDrafts unschedules every draft whose PublishAt has
	// come and returns them (unscheduled: PublishAt is zero): each is returned
	// to exactly one caller, however many servers ask at once.
	ClaimDuePendingDrafts(ctx context.Context, now time.Time) ([]PendingDraft, error)
	// ListPendingDrafts lists drafts of changes, the most recently saved
	// first, at most limit of them, and how many there are in all.
	ListPendingDrafts(ctx context.Context, limit int) ([]PendingDraft, int, error)
	// NextPendingDue is the earliest PublishAt of a scheduled draft; zero
	// when none is scheduled.
	NextPendingDue(ctx context.Context) (time.Time, error)
}
