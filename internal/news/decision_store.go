package news

import (
	"context"
	"time"
)

// DecisionStore changes what a moderation decision changes together with
// the decision's entry in the moderation log, in one transaction: a
// comment never changes status, nor a reader's ban, without its
// statement of reasons in the log, and the log never records a decision
// whose change did not happen. An entry that is no decision (approve,
// unban) is appended the same way.
type DecisionStore interface {
	// CreateCommentDecision stores a new comment (as CreateComment) and,
	// when e is not nil, the decision that holds it, with e.CommentID set
	// to the new comment.
	CreateCommentDecision(ctx context.Context, c *Comment, e *ModerationEntry) error
	// DecideComment moves a comment to status citing clause (as
	// SetCommentStatus) and appends e, with e.CommentID set to id.
	DecideComment(ctx context.Context, id int64, status CommentStatus, clause string, e *ModerationEntry) error
	// DecideBan sets or clears a reader's ban (as BanReader) and appends e.
	DecideBan(ctx context.Context, readerID int64, until time.Time, shadow bool, shadowUntil time.Time, clause string, e *ModerationEntry) error
}
