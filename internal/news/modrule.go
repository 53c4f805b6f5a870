package news

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// RuleStore keeps comment moderation rules (by article metadata), the
// statements of reasons of moderation decisions and their appeals.
type RuleStore interface {
	// ModRules lists the rules in force (not retired), in priority order
	// (Position, then ID), each at its newest version.
	ModRules(ctx context.Context) ([]ModRule, error)
	// ModRuleByID loads a rule at its newest version (retired ones too).
	ModRuleByID(ctx context.Context, id int64) (ModRule, error)
	// ModRuleVersions lists every version of a rule, newest first.
	ModRuleVersions(ctx context.Context, id int64) ([]ModRule, error)
	// SaveModRule stores a new rule (ID 0: version 1, placed last) or a
	// new version of an existing one; r.Version must then be the stored
	// newest version (else KindConflict). Sets ID, Version, Position and
	// CreatedAt.
	SaveModRule(ctx context.Context, r *ModRule) error
	// OrderModRules sets the priority order: ids first to last. Rules not
	// named keep their place after them.
	OrderModRules(ctx context.Context, ids []int64) error
	// RetireModRule takes a rule out of force; its versions stay.
	RetireModRule(ctx context.Context, id int64) error
	// RuleArticle is an article's metadata as rules see it, read now,
	// with the rules' generation (RuleGeneration) read in the same query.
	RuleArticle(ctx context.Context, articleID int64) (RuleArticle, error)
	// RuleGeneration is a number raised by every change to the rules
	// (SaveModRule, OrderModRules, RetireModRule) in its transaction: a
	// server holding rules of another generation reloads them.
	RuleGeneration(ctx context.Context) (int64, error)
	// SetArticleFlags replaces an article's moderation flags.
	SetArticleFlags(ctx context.Context, articleID int64, flags []string) error

	// ReaderCommentCounts counts a reader's comments by status (shadow
	// comments aside), for the optional public commenter history.
	ReaderCommentCounts(ctx context.Context, readerID int64) (map[CommentStatus]int, error)

	// ModerationChain lists log entries after id afterID, oldest first,
	// with their hashes (for verification).
	ModerationChain(ctx context.Context, afterID int64, limit int) ([]ModerationEntry, error)
	// DecisionByID loads a decision by its public id.
	DecisionByID(ctx context.Context, decisionID string) (ModerationEntry, error)
	// CommentDecisions gives each comment's latest decision.
	CommentDecisions(ctx context.Context, commentIDs []int64) (map[int64]ModerationEntry, error)
	// Decisions lists decisions made in [since, until), oldest first.
	Decisions(ctx context.Context, since, until time.Time, limit int) ([]ModerationEntry, error)

	// CreateAppeal stores an appeal (one per decision, else KindConflict)
	// and its log entry e in one transaction.
	CreateAppeal(ctx context.Context, a *Appeal, e *ModerationEntry) error
	AppealByID(ctx context.Context, id int64) (Appeal, error)
	// Appeals lists appeals of a status ("" for all), oldest first.
	Appeals(ctx context.Context, status AppealStatus, limit, offset int) ([]Appeal, error)
	// ReaderAppeals lists a reader's appeals, newest first.
	ReaderAppeals(ctx context.Context, readerID int64) ([]Appeal, error)
	// DecideAppeal closes an open appeal (upheld or reversed) and appends
	// the review's decision e; a reversal restores the comment. All in one
	// transaction; the original decision stays in the log.
	DecideAppeal(ctx context.Context, id int64, status AppealStatus, reviewer, reply string, e *ModerationEntry) error
	// AppealsOfDecisionsBy lists appeals decided since since against
	// decisions actor made, newest first (to tell the first moderator
	// what the review found).
	AppealsOfDecisionsBy(ctx context.Context, actor string, since time.Time, limit int) ([]Appeal, error)
}

// RuleAction is what a rule does to an article's comments.
type RuleAction string

const (
	// RuleOpen publishes comments as the site's other settings say (a rule
	// that keeps an article open before broader rules below it).
	RuleOpen RuleAction = "open"
	// RulePremoderate holds every new comment for a moderator.
	RulePremoderate RuleAction = "premoderate"
	// RulePremoderateLinks holds comments that contain a link.
	RulePremoderateLinks RuleAction = "premoderate-links"
	// RuleClosed shows comments and takes no new ones.
	RuleClosed RuleAction = "closed"
	// RuleHidden neither shows nor takes comments.
	RuleHidden RuleAction = "hidden"
)

// RuleActions lists the actions in the order forms offer them.
var RuleActions = []RuleAction{RuleOpen, RulePremoderate, RulePremoderateLinks, RuleClosed, RuleHidden}

// Valid reports whether a is known.
func (a RuleAction) Valid() bool { return slices.Contains(RuleActions, a) }

// Label is the action in words.
func (a RuleAction) Label() string {
	switch a {
	case RuleOpen:
		return "open"
	case RulePremoderate:
		return "pre-moderate"
	case RulePremoderateLinks:
		return "pre-moderate comments with links"
	case RuleClosed:
		return "closed"
	case RuleHidden:
		return "hidden"
	}
	return string(a)
}

// Article flags: sensitive facts about an article that tags, being
// public, must not carry. Editors set them on the article's moderation
// panel; rules match them.
const (
	FlagCourtCase = "court-case-active"
	FlagMinors    = "minors"
	FlagObituary  = "obituary"
	FlagVictims   = "victims"
)

// ArticleFlags lists the flags an article may carry, with their labels.
var ArticleFlags = []struct{ Name, Label string }{
	{FlagCourtCase, "court case active"},
	{FlagMinors, "minors involved"},
	{FlagObituary, "obituary"},
	{FlagVictims, "victims of crime or disaster"},
}

// ValidFlag reports whether f is a known article flag.
func ValidFlag(f string) bool {
	for _, k := range ArticleFlags {
		if k.Name == f {
			return true
		}
	}
	return false
}

// FlagLabel is a flag in words.
func FlagLabel(f string) string {
	for _, k := range ArticleFlags {
		if k.Name == f {
			return k.Label
		}
	}
	return f
}

// RuleWhen is a rule's condition. Every condition set must hold; a list
// holds when any of its items does. A rule with no condition matches
// every article.
type RuleWhen struct {
	// SectionIDs: the article is in one of these sections or below them.
	SectionIDs []int64 `json:"section_ids,omitempty"`
	// Tags: the article carries one of these tags (NormalizeTag'd, as
	// articles' tags are matched).
	Tags []string `json:"tags,omitempty"`
	// Flags: the article carries one of these flags.
	Flags []string `json:"flags,omitempty"`
	// OlderThanDays: the article was published more than N days ago.
	OlderThanDays int `json:"older_than_days,omitempty"`
	// CommentsOver: the article has more than N published comments.
	CommentsOver int `json:"comments_over,omitempty"`
	// StoryIDs: the article is in one of these running stories (a
	// watch list).
	StoryIDs []int64 `json:"story_ids,omitempty"`
	// StoryStatuses: the article is in a story of one of these statuses
	// (developing, concluded, dormant).
	StoryStatuses []StoryStatus `json:"story_statuses,omitempty"`
	// From and Until ("HH:MM", the paper's time zone) bound a daily
	// window, From inclusive, Until exclusive; From after Until crosses
	// midnight (22:00–06:00). Both empty: any time.
	From  string `json:"from,omitempty"`
	Until string `json:"until,omitempty"`
}

// Empty reports whether no condition is set.
func (w RuleWhen) Empty() bool {
	return len(w.SectionIDs) == 0 && len(w.Tags) == 0 && len(w.Flags) == 0 && w.OlderThanDays == 0 && w.CommentsOver == 0 && w.From == "" && w.Until == "" &&
		len(w.StoryIDs) == 0 && len(w.StoryStatuses) == 0
}

// ModRule is one version of a moderation rule: when an article matches
// When, its comments get Action, readers see Message, and the decisions
// it makes cite Clause of the Standards Board Policy.
type ModRule struct {
	ID       int64
	Version  int
	Position int
	Name     string
	When     RuleWhen
	Action   RuleAction
	// Message is what readers see by the comment box ("Comments on court
	// cases are read by a moderator before they appear.").
	Message   string
	Clause    string
	Editor    string
	Note      string // what this version changed
	Retired   bool
	CreatedAt time.Time
}

// Ref names a rule's version ("rule 3 v2").
func (r ModRule) Ref() string { return fmt.Sprintf("rule %d v%d", r.ID, r.Version) }

// ParseClock reads "HH:MM" as minutes after midnight.
func ParseClock(s string) (int, bool) {
	var h, m int
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	if _, err := fmt.Sscanf(s, "%02d:%02d", &h, &m); err != nil || h < 0 || h > 23 || m < 0 || m > 59 {
		return 0, false
	}
	return h*60 + m, true
}

// Validate checks a rule before it is stored.
func (r *ModRule) Validate() error {
	r.Name = strings.TrimSpace(r.Name)
	r.Message = strings.TrimSpace(r.Message)
	r.Clause = strings.TrimSpace(r.Clause)
	if r.Name == "" {
		return Invalid("name", "a rule needs a name editors recognise")
	}
	if len([]rune(r.Name)) > 100 {
		return Invalid("name", "a rule's name has at most 100 characters")
	}
	if !r.Action.Valid() {
		return Invalid("action", "the action must be open, pre-moderate, pre-moderate links only, closed or hidden")
	}
	if len([]rune(r.Message)) > 300 {
		return Invalid("message", "the message readers see has at most 300 characters")
	}
	if r.Action != RuleOpen && r.Clause == "" {
		return Invalid("clause", "name the clause of the Standards Board Policy this rule rests on")
	}
	if r.Action != RuleOpen && r.Message == "" {
		return Invalid("message", "write the message readers see under this rule")
	}
	w := &r.When
	for _, id := range w.SectionIDs {
		if id <= 0 {
			return Invalid("sections", "unknown section")
		}
	}
	// Tags are matched on the key articles' tags are stored under
	// (NormalizeTag: case and white space folded), each once.
	tags := w.Tags[:0]
	for _, t := range w.Tags {
		t = NormalizeTag(t)
		if t == "" {
			return Invalid("tags", "a tag cannot be empty")
		}
		if !slices.Contains(tags, t) {
			tags = append(tags, t)
		}
	}
	w.Tags = tags
	for _, f := range w.Flags {
		if !ValidFlag(f) {
			return Invalid("flags", "unknown article flag %q", f)
		}
	}
	for _, id := range w.StoryIDs {
		if id <= 0 {
			return Invalid("stories", "unknown story")
		}
	}
	for _, st := range w.StoryStatuses {
		if !st.Valid() {
			return Invalid("story_statuses", "a story is developing, concluded or dormant")
		}
	}
	if w.OlderThanDays < 0 || w.OlderThanDays > 36500 {
		return Invalid("older_than_days", "the age is a number of days from 0")
	}
	if w.CommentsOver < 0 || w.CommentsOver > 10_000_000 {
		return Invalid("comments_over", "the comment count is a whole number from 0")
	}
	if (w.From == "") != (w.Until == "") {
		return Invalid("from", "a time window needs both its start and its end")
	}
	if w.From != "" {
		f, ok1 := ParseClock(w.From)
		u, ok2 := ParseClock(w.Until)
		if !ok1 || !ok2 {
			return Invalid("from", "times are written HH:MM, from 00:00 to 23:59")
		}
		if f == u {
			return Invalid("until", "a time window cannot start and end at the same minute")
		}
	}
	return nil
}

// RuleArticle is what rules read of an article, at the moment of the
// request.
type RuleArticle struct {
	ID int64
	// Sections: the article's section and every section above it.
	Sections     []int64
	Tags         []string
	Flags        []string
	PublishedAt  time.Time
	CommentCount int
	// Stories the article is in, and their statuses (same order).
	Stories       []int64
	StoryStatuses []StoryStatus
	// RulesGeneration is the rules' generation when the metadata was
	// read (RuleStore.RuleGeneration).
	RulesGeneration int64
}
