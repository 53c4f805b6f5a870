package news

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
)

// Decision actions: moderation log entries that are decisions about a
// comment or a reader, each a statement of reasons (DSA Art. 17): the
// clause and policy version, the facts, automatic or not and by which
// rule, a unique id and the date.
var DecisionActions = []string{"hold", "reject", "remove", "delete", "ban", "shadow-ban", "uphold", "reverse"}

// IsDecision reports whether an entry of this action must carry a
// statement of reasons.
func IsDecision(action string) bool { return slices.Contains(DecisionActions, action) }

// ValidateDecision refuses a decision without its statement of reasons.
// Other entries (approve, settings, policy, rule) pass.
func (e *ModerationEntry) ValidateDecision() error {
	if !IsDecision(e.Action) {
		return nil
	}
	if strings.TrimSpace(e.Clause) == "" {
		return Invalid("clause", "a moderation decision names the clause of the Standards Board Policy it applies")
	}
	if e.PolicyVersion <= 0 {
		return Invalid("policy_version", "a moderation decision names the version of the policy it applies")
	}
	if e.DecisionID == "" {
		return Invalid("decision_id", "a moderation decision needs its id")
	}
	if strings.TrimSpace(e.Note) == "" {
		return Invalid("note", "a moderation decision states the facts in a sentence")
	}
	if e.Automatic != (e.Actor == "system") {
		return Invalid("automatic", "an automatic decision is the system's; a moderator's is not automatic")
	}
	return nil
}

// chainFields are what an entry's hash covers, in a fixed order and
// spelling (the database id is not among them: order is kept by the
// link to the previous hash).
type chainFields struct {
	Prev          string `json:"prev"`
	Actor         string `json:"actor"`
	Action        string `json:"action"`
	CommentID     int64  `json:"comment_id"`
	ReaderID      int64  `json:"reader_id"`
	ArticleID     int64  `json:"article_id"`
	Clause        string `json:"clause"`
	Note          string `json:"note"`
	CreatedAt     int64  `json:"created_at_ms"`
	DecisionID    string `json:"decision_id"`
	PolicyVersion int    `json:"policy_version"`
	Automatic     bool   `json:"automatic"`
	RuleID        int64  `json:"rule_id"`
	RuleVersion   int    `json:"rule_version"`
	Ref           string `json:"ref"`
}

// ChainHash is the entry's hash in the append-only log: SHA-256 over the
// previous entry's hash and this entry's fields. Changing, removing or
// reordering any entry changes every hash after it.
func (e ModerationEntry) ChainHash(prev string) string {
	b, _ := json.Marshal(chainFields{prev, e.Actor, e.Action, e.CommentID, e.ReaderID, e.ArticleID, e.Clause, e.Note,
		e.CreatedAt.UnixMilli(), e.DecisionID, e.PolicyVersion, e.Automatic, e.RuleID, e.RuleVersion, e.Ref})
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// ChainBreak is where a log fails verification.
type ChainBreak struct {
	ID     int64
	Reason string
}

// VerifyChain checks entries in log order (oldest first) continuing from
// prev (the hash before the first; "" at the start). Entries written
// before the chain began (no hash, at the very start) are counted in
// legacy; after the first hashed entry every entry must be hashed.
func VerifyChain(entries []ModerationEntry, prev string, started bool) (last string, legacy int, brk *ChainBreak) {
	for _, e := range entries {
		if e.Hash == "" && !started {
			legacy++
			continue
		}
		started = true
		if e.PrevHash != prev {
			return prev, legacy, &ChainBreak{e.ID, "does not follow the entry before it (an entry was removed, inserted or reordered)"}
		}
		if e.Hash != e.ChainHash(prev) {
			return prev, legacy, &ChainBreak{e.ID, "its content does not match its hash (the entry was changed)"}
		}
		prev = e.Hash
	}
	return prev, legacy, nil
}
