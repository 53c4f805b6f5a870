package comments

import (
	"context"
	"slices"
	"time"

	"byline/internal/news"
)

// RuleSet is the moderation rules in force, prepared for evaluation on
// every request: a pure function of an article's metadata and the clock,
// so re-tagging an article or the clock passing a window's edge changes
// the very next answer, with no per-article copy to keep up to date.
type RuleSet struct {
	rules []compiledRule
	loc   *time.Location
	// gen is the rules' generation in the database when they were read
	// (news.RuleStore.RuleGeneration).
	gen int64
}

type compiledRule struct {
	news.ModRule
	from, until int // minutes after midnight; -1: no window
}

// NewRuleSet prepares rules (in priority order) for the paper's time
// zone (nil: UTC).
func NewRuleSet(rules []news.ModRule, loc *time.Location) *RuleSet {
	if loc == nil {
		loc = time.UTC
	}
	rs := &RuleSet{loc: loc, rules: make([]compiledRule, 0, len(rules))}
	for _, r := range rules {
		c := compiledRule{ModRule: r, from: -1, until: -1}
		if len(r.When.Tags) > 0 {
			// Rules stored before tags were folded as articles' are
			// ("court  case") match the article's key too.
			tags := make([]string, len(r.When.Tags))
			for i, t := range r.When.Tags {
				tags[i] = news.NormalizeTag(t)
			}
			c.When.Tags = tags
		}
		if f, ok := news.ParseClock(r.When.From); ok {
			if u, ok := news.ParseClock(r.When.Until); ok {
				c.from, c.until = f, u
			}
		}
		rs.rules = append(rs.rules, c)
	}
	return rs
}

// Len is the number of rules.
func (rs *RuleSet) Len() int {
	if rs == nil {
		return 0
	}
	return len(rs.rules)
}

// Generation is the rules' generation in the database when they were
// read (-1 for none read).
func (rs *RuleSet) Generation() int64 {
	if rs == nil {
		return -1
	}
	return rs.gen
}

// Rules are the rules in priority order.
func (rs *RuleSet) Rules() []news.ModRule {
	if rs == nil {
		return nil
	}
	out := make([]news.ModRule, len(rs.rules))
	for i, r := range rs.rules {
		out[i] = r.ModRule
	}
	return out
}

// Evaluate finds the first rule, in priority order, that matches the
// article at now; false when none does.
func (rs *RuleSet) Evaluate(a news.RuleArticle, now time.Time) (news.ModRule, bool) {
	if rs.Len() == 0 {
		return news.ModRule{}, false
	}
	minute := -1 // the local minute of the day, computed once if needed
	for i := range rs.rules {
		r := &rs.rules[i]
		w := &r.When
		if len(w.SectionIDs) > 0 && !anyIn(w.SectionIDs, a.Sections) {
			continue
		}
		if len(w.Tags) > 0 && !anyIn(w.Tags, a.Tags) {
			continue
		}
		if len(w.Flags) > 0 && !anyIn(w.Flags, a.Flags) {
			continue
		}
		if len(w.StoryIDs) > 0 && !anyIn(w.StoryIDs, a.Stories) {
			continue
		}
		if len(w.StoryStatuses) > 0 && !anyIn(w.StoryStatuses, a.StoryStatuses) {
			continue
		}
		if w.OlderThanDays > 0 && (a.PublishedAt.IsZero() || now.Sub(a.PublishedAt) <= time.Duration(w.OlderThanDays)*24*time.Hour) {
			continue
		}
		if w.CommentsOver > 0 && a.CommentCount <= w.CommentsOver {
			continue
		}
		if r.from >= 0 {
			if minute < 0 {
				l := now.In(rs.loc)
				minute = l.Hour()*60 + l.Minute()
			}
			if !inWindow(minute, r.from, r.until) {
				continue
			}
		}
		return r.ModRule, true
	}
	return news.ModRule{}, false
}

// inWindow: from inclusive, until exclusive; a window whose start is
// after its end crosses midnight.
func inWindow(m, from, until int) bool {
	if from < until {
		return m >= from && m < until
	}
	return m >= from || m < until
}

func anyIn[T comparable](want, have []T) bool {
	for _, h := range have {
		if slices.Contains(want, h) {
			return true
		}
	}
	return false
}

// Verdict is what the rules decide for one article now.
type Verdict struct {
	// Matched: a rule applies (Rule is it); else the article follows the
	// site's settings alone.
	Matched bool
	Rule    news.ModRule
}

// Action is the matched rule's action, or open.
func (v Verdict) Action() news.RuleAction {
	if !v.Matched {
		return news.RuleOpen
	}
	return v.Rule.Action
}

// Rules are the moderation rules in force.
func (s *Service) Rules() *RuleSet { return s.rules.Load() }

// Verdict evaluates the rules against the article's metadata as it is
// now in the database (no copy is kept: a re-tag counts at once). The
// rules' generation is read in the same query: rules changed through
// another server are reloaded before this evaluation, not whenever its
// NOTIFY arrives.
func (s *Service) Verdict(ctx context.Context, articleID int64) (Verdict, error) {
	rs := s.rules.Load()
	if rs.Len() == 0 {
		// No rules here: ask only whether some were written since (one
		// row), not for the article's metadata.
		g, err := s.store.RuleGeneration(ctx)
		if err != nil {
			return Verdict{}, err
		}
		if rs, err = s.rulesOf(ctx, g); err != nil || rs.Len() == 0 {
			return Verdict{}, err
		}
	}
	a, err := s.store.RuleArticle(ctx, articleID)
	if err != nil {
		return Verdict{}, err
	}
	if rs, err = s.rulesOf(ctx, a.RulesGeneration); err != nil {
		return Verdict{}, err
	}
	r, ok := rs.Evaluate(a, s.now())
	return Verdict{Matched: ok, Rule: r}, nil
}

// rulesOf gives rules of generation g (or newer): the ones held, or,
// when they are of another generation, the database's, read once for
// all the requests that noticed.
func (s *Service) rulesOf(ctx context.Context, g int64) (*RuleSet, error) {
	if rs := s.rules.Load(); rs.Generation() == g {
		return rs, nil
	}
	s.rulesMu.Lock()
	defer s.rulesMu.Unlock()
	if rs := s.rules.Load(); rs.Generation() == g {
		return rs, nil
	}
	if err := s.loadRules(ctx); err != nil {
		return nil, err
	}
	return s.rules.Load(), nil
}

// EffectiveMode is the article's comment mode after the rules: an
// editor's switch to closed or hidden stands; otherwise a rule may
// close or hide comments.
func EffectiveMode(m news.ArticleCommentMode, v Verdict) news.ArticleCommentMode {
	if m != news.CommentsOpen {
		return m
	}
	switch v.Action() {
	case news.RuleClosed:
		return news.CommentsClosed
	case news.RuleHidden:
		return news.CommentsHidden
	}
	return m
}

// SaveRule stores a rule (new, or a new version of it) after checking
// its clause against the policy, and tells every server.
func (s *Service) SaveRule(ctx context.Context, actor string, r *news.ModRule) error {
	r.Editor = actor
	if r.Clause != "" {
		if _, ok := s.Policy().Clause(r.Clause); !ok {
			return news.Invalid("clause", "clause %s is not in the Standards Board Policy", r.Clause)
		}
	}
	r.CreatedAt = s.now()
	if err := s.store.SaveModRule(ctx, r); err != nil {
		return err
	}
	s.log(ctx, &news.ModerationEntry{Actor: actor, Action: "rule", Clause: r.Clause, Note: r.Ref() + ": " + r.Name})
	return s.rulesChanged(ctx)
}

// OrderRules sets the rules' priority order.
func (s *Service) OrderRules(ctx context.Context, actor string, ids []int64) error {
	if err := s.store.OrderModRules(ctx, ids); err != nil {
		return err
	}
	s.log(ctx, &news.ModerationEntry{Actor: actor, Action: "rule", Note: "rules reordered"})
	return s.rulesChanged(ctx)
}

// RetireRule takes a rule out of force.
func (s *Service) RetireRule(ctx context.Context, actor string, id int64) error {
	if err := s.store.RetireModRule(ctx, id); err != nil {
		return err
	}
	s.log(ctx, &news.ModerationEntry{Actor: actor, Action: "rule", Note: "rule " + itoa(id) + " retired"})
	return s.rulesChanged(ctx)
}

// SetArticleFlags sets an article's moderation flags; the very next
// request is judged by them.
func (s *Service) SetArticleFlags(ctx context.Context, actor string, articleID int64, flags []string) error {
	if err := s.store.SetArticleFlags(ctx, articleID, flags); err != nil {
		return err
	}
	note := "flags:"
	for _, f := range flags {
		note += " " + f
	}
	s.log(ctx, &news.ModerationEntry{Actor: actor, Action: "flags", ArticleID: articleID, Note: note})
	s.changed(ctx, articleID)
	return nil
}

// rulesChanged reloads this server's rules at once and tells the others
// (ChangeSettings reaches every server's Reload through NOTIFY).
func (s *Service) rulesChanged(ctx context.Context) error {
	if err := s.reloadRules(ctx); err != nil {
		return err
	}
	s.notify.Notify(ctx, news.Change{Kind: news.ChangeSettings})
	return nil
}

func (s *Service) reloadRules(ctx context.Context) error {
	s.rulesMu.Lock()
	defer s.rulesMu.Unlock()
	return s.loadRules(ctx)
}

// loadRules reads the rules; s.rulesMu is held, so that no older read
// replaces a newer one.
func (s *Service) loadRules(ctx context.Context) error {
	// The generation first: rules read after it are at least as new (a
	// change in between only makes the next evaluation read them again).
	g, err := s.store.RuleGeneration(ctx)
	if err != nil {
		return err
	}
	rules, err := s.store.ModRules(ctx)
	if err != nil {
		return err
	}
	rs := NewRuleSet(rules, s.loc)
	rs.gen = g
	s.rules.Store(rs)
	return nil
}

// ArticleMode is the article's comment mode after the rules, with their
// verdict (for the reader's box and the editors' "why").
func (s *Service) ArticleMode(ctx context.Context, articleID int64) (news.ArticleCommentMode, Verdict, error) {
	m, err := s.store.ArticleCommentMode(ctx, articleID)
	if err != nil {
		return m, Verdict{}, err
	}
	v, err := s.Verdict(ctx, articleID)
	if err != nil {
		return m, v, err
	}
	return EffectiveMode(m, v), v, nil
}
