package news

import (
	"context"
	"regexp"
	"strings"
	"time"
)

// PolicyVersion is one version of the Standards Board Policy: the comment
// rules as Markdown whose "## N. Title" headings are numbered clauses.
type PolicyVersion struct {
	Version   int
	Body      string
	Note      string // what changed
	Editor    string
	CreatedAt time.Time
}

// PolicyClause is one numbered rule.
type PolicyClause struct {
	Number string // "3"
	Title  string
	Body   string // Markdown
}

var clauseHeading = regexp.MustCompile(`^##\s+(\d+(?:\.\d+)?)[.)]?\s+(.+?)\s*$`)

// Clauses splits the policy into its numbered clauses.
func (p PolicyVersion) Clauses() []PolicyClause {
	var out []PolicyClause
	var cur *PolicyClause
	var body []string
	flush := func() {
		if cur != nil {
			cur.Body = strings.TrimSpace(strings.Join(body, "\n"))
			out = append(out, *cur)
		}
		body = body[:0]
	}
	for _, line := range strings.Split(strings.ReplaceAll(p.Body, "\r\n", "\n"), "\n") {
		if m := clauseHeading.FindStringSubmatch(line); m != nil {
			flush()
			cur = &PolicyClause{Number: m[1], Title: m[2]}
			continue
		}
		if strings.HasPrefix(line, "# ") || (strings.HasPrefix(line, "## ") && cur != nil) {
			flush()
			cur = nil
			continue
		}
		if cur != nil {
			body = append(body, line)
		}
	}
	flush()
	return out
}

// Clause finds a clause by number.
func (p PolicyVersion) Clause(n string) (PolicyClause, bool) {
	for _, c := range p.Clauses() {
		if c.Number == n {
			return c, true
		}
	}
	return PolicyClause{}, false
}

// SiteCommentMode is the site-wide moderation mode.
type SiteCommentMode string

const (
	ModePublish SiteCommentMode = "publish" // publish at once
	ModeHold    SiteCommentMode = "hold"    // hold every comment
)

// CommentSettings are the moderation rules editors set in /admin.
type CommentSettings struct {
	Mode SiteCommentMode `json:"mode"`
	// AutoHoldReports: a visible comment with this many reports goes back
	// to the queue (0: never).
	AutoHoldReports int `json:"auto_hold_reports"`
	// BannedWords: whole words (matched on word boundaries); BannedSubstrings
	// match anywhere (useful for Korean, which attaches particles).
	BannedWords      []string `json:"banned_words"`
	BannedSubstrings []string `json:"banned_substrings"`
	// BannedClause is the clause cited when a banned word holds a comment.
	BannedClause string `json:"banned_clause"`
	// Spam rules.
	MaxLinks          int    `json:"max_links"`           // more links: held
	HoldFirstComment  bool   `json:"hold_first_comment"`  // a reader's first comment is held
	NewAccountMinutes int    `json:"new_account_minutes"` // accounts younger than this…
	NewAccountPerHour int    `json:"new_account_per_hour"`
	RepeatWindowMin   int    `json:"repeat_window_minutes"` // same text again within: refused
	SpamClause        string `json:"spam_clause"`
	// HoldClause is cited when a comment is held for no fault of its own
	// (the site holds every comment, a reader's first comment).
	HoldClause string `json:"hold_clause"`
	// PublicHistory shows, on each commenter's public profile, how many
	// of their comments were published and how many removed (off by
	// default).
	PublicHistory bool `json:"public_history"`
	// QueueFilters are the moderation queue's saved views ("courts",
	// "election watch list").
	QueueFilters []QueueFilter `json:"queue_filters,omitempty"`
	// Rate limits: comments per minute per reader and per address.
	PerReaderPerMinute float64 `json:"per_reader_per_minute"`
	PerReaderBurst     int     `json:"per_reader_burst"`
	PerIPPerMinute     float64 `json:"per_ip_per_minute"`
	PerIPBurst         int     `json:"per_ip_burst"`
}

// DefaultCommentSettings are used until an editor saves others.
func DefaultCommentSettings() CommentSettings {
	return CommentSettings{
		Mode: ModePublish, AutoHoldReports: 3,
		BannedClause: "2", SpamClause: "5", HoldClause: "7",
		MaxLinks: 2, NewAccountMinutes: 10, NewAccountPerHour: 5, RepeatWindowMin: 10,
		PerReaderPerMinute: 6, PerReaderBurst: 5, PerIPPerMinute: 30, PerIPBurst: 20,
	}
}

// ModerationEntry is one line of the audit log: who did what to which
// comment or reader, citing which clause.
type ModerationEntry struct {
	ID        int64
	Actor     string // staff login, or "system" for automatic rules
	Action    string // approve, reject, remove, delete, ban, shadow-ban, unban, hold, mode, settings, policy
	CommentID int64
	ReaderID  int64
	ArticleID int64
	Clause    string
	// Note: for a decision, the facts it rests on in a sentence.
	Note      string
	CreatedAt time.Time
	// A decision's statement of reasons (see IsDecision): its public id,
	// the policy version whose Clause it applies, and whether it was
	// automatic, by which rule version.
	DecisionID    string
	PolicyVersion int
	Automatic     bool
	RuleID        int64
	RuleVersion   int
	// Ref is the decision an appeal or its outcome concerns.
	Ref string
	// PrevHash and Hash chain the log (ChainHash).
	PrevHash, Hash string
	// Notice, when set, makes the e-mail that tells the decision's
	// subject of it (a transactional outbox): the store calls it inside
	// the decision's transaction, once the entry has its ids, and stores
	// the message in the outbox in that same transaction, so a decision
	// never stands without its notice nor a notice without its decision
	// (a failed insert undoes the decision). It must not use the store;
	// a nil message means there is nothing to send. Never stored.
	Notice func(e ModerationEntry) (*OutboxMail, error) `json:"-"`
}

// ModerationStore keeps the policy, the moderation settings and the
// audit log.
type ModerationStore interface {
	// CurrentPolicy is the newest version (KindNotFound when none).
	CurrentPolicy(ctx context.Context) (PolicyVersion, error)
	PolicyVersionByNumber(ctx context.Context, v int) (PolicyVersion, error)
	// PolicyVersions lists every version, newest first.
	PolicyVersions(ctx context.Context) ([]PolicyVersion, error)
	// AddPolicyVersion stores p as the next version and sets Version.
	AddPolicyVersion(ctx context.Context, p *PolicyVersion) error
	CommentSettings(ctx context.Context) (CommentSettings, error)
	SaveCommentSettings(ctx context.Context, s CommentSettings) error
	// AddModerationEntry appends to the hash-chained log; a decision
	// without its statement of reasons (ValidateDecision) is refused.
	AddModerationEntry(ctx context.Context, e *ModerationEntry) error
	// ModerationLog lists the log, newest first.
	ModerationLog(ctx context.Context, limit, offset int) ([]ModerationEntry, error)
}

// Validate requires text with numbered clauses.
func (p *PolicyVersion) Validate() error {
	if strings.TrimSpace(p.Body) == "" {
		return Invalid("body", "the policy needs text")
	}
	if len(p.Clauses()) == 0 {
		return Invalid("body", `the policy needs numbered clauses: headings such as "## 1. Be civil"`)
	}
	return nil
}

// Validate refuses a moderation mode other than publish or hold.
func (st CommentSettings) Validate() error {
	if st.Mode != ModePublish && st.Mode != ModeHold {
		return Invalid("mode", "mode must be publish or hold")
	}
	return nil
}

// QueueFilter is a saved view of the moderation queue: comments on
// articles in these sections (or below) or carrying these tags.
type QueueFilter struct {
	Name       string   `json:"name"`
	SectionIDs []int64  `json:"section_ids,omitempty"`
	Tags       []string `json:"tags,omitempty"`
	// StoryIDs is a watch list of running stories.
	StoryIDs []int64 `json:"story_ids,omitempty"`
}

// Validate requires a name and something to filter by.
func (f *QueueFilter) Validate() error {
	f.Name = strings.TrimSpace(f.Name)
	if f.Name == "" || len([]rune(f.Name)) > 60 {
		return Invalid("name", "a saved filter needs a name of at most 60 characters")
	}
	if len(f.SectionIDs) == 0 && len(f.Tags) == 0 && len(f.StoryIDs) == 0 {
		return Invalid("sections", "choose sections, tags or stories to filter by")
	}
	for i, t := range f.Tags {
		f.Tags[i] = strings.ToLower(strings.TrimSpace(t))
	}
	return nil
}
