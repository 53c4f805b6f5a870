package news

import (
	"strings"
	"time"
)

// AppealWindow is how long after a decision its subject may appeal it
// (DSA Art. 20: at least six months).
const AppealWindow = 183 * 24 * time.Hour

// AppealStatus is where an appeal stands.
type AppealStatus string

const (
	AppealOpen     AppealStatus = "open"
	AppealUpheld   AppealStatus = "upheld"   // the decision stands
	AppealReversed AppealStatus = "reversed" // the decision was undone
)

// Appeal is a commenter's request that a decision about them be looked
// at again, by a moderator other than the one who made it.
type Appeal struct {
	ID         int64
	DecisionID string
	CommentID  int64
	ReaderID   int64
	Reason     string
	Status     AppealStatus
	Reviewer   string
	Reply      string
	CreatedAt  time.Time
	DecidedAt  time.Time
	// OutcomeID is the decision id of the review's own entry in the log.
	OutcomeID string
}

// Validate checks a new appeal.
func (a *Appeal) Validate() error {
	a.Reason = strings.TrimSpace(a.Reason)
	if a.DecisionID == "" {
		return Invalid("decision_id", "an appeal names the decision it contests")
	}
	if a.ReaderID <= 0 {
		return Invalid("reader_id", "an appeal comes from a signed-in reader")
	}
	if a.Reason == "" {
		return Invalid("reason", "say in a sentence or two why the decision should change")
	}
	if len([]rune(a.Reason)) > 2000 {
		return Invalid("reason", "an appeal has at most 2000 characters")
	}
	return nil
}
