package comments_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"byline/internal/comments"
	"byline/internal/news"
)

var seoul, _ = time.LoadLocation("Asia/Seoul")

func rule(id int64, action news.RuleAction, w news.RuleWhen) news.ModRule {
	return news.ModRule{ID: id, Version: 1, Name: fmt.Sprint("rule ", id), When: w, Action: action, Clause: "4", Message: "m"}
}

// TestEvaluateConditions covers each condition alone, and that the first
// matching rule in priority order decides.
func TestEvaluateConditions(t *testing.T) {
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, seoul) // 12:00 local
	art := news.RuleArticle{ID: 1, Sections: []int64{10, 11}, Tags: []string{"court", "seoul"}, Flags: []string{news.FlagMinors},
		PublishedAt: now.Add(-72 * time.Hour), CommentCount: 40, Stories: []int64{7}, StoryStatuses: []news.StoryStatus{news.StoryDeveloping}}
	cases := []struct {
		name string
		w    news.RuleWhen
		want bool
	}{
		{"no condition", news.RuleWhen{}, true},
		{"section matches (parent of the article's)", news.RuleWhen{SectionIDs: []int64{10}}, true},
		{"section elsewhere", news.RuleWhen{SectionIDs: []int64{12}}, false},
		{"tag in list", news.RuleWhen{Tags: []string{"sports", "court"}}, true},
		{"tag not carried", news.RuleWhen{Tags: []string{"sports"}}, false},
		{"flag carried", news.RuleWhen{Flags: []string{news.FlagCourtCase, news.FlagMinors}}, true},
		{"flag not carried", news.RuleWhen{Flags: []string{news.FlagObituary}}, false},
		{"older than 2 days", news.RuleWhen{OlderThanDays: 2}, true},
		{"older than 3 days (exactly 3: not over)", news.RuleWhen{OlderThanDays: 3}, false},
		{"over 39 comments", news.RuleWhen{CommentsOver: 39}, true},
		{"over 40 comments (exactly 40: not over)", news.RuleWhen{CommentsOver: 40}, false},
		{"in a watched story", news.RuleWhen{StoryIDs: []int64{3, 7}}, true},
		{"not in the watched story", news.RuleWhen{StoryIDs: []int64{3}}, false},
		{"story developing", news.RuleWhen{StoryStatuses: []news.StoryStatus{news.StoryDeveloping}}, true},
		{"story concluded", news.RuleWhen{StoryStatuses: []news.StoryStatus{news.StoryConcluded}}, false},
		{"window around noon", news.RuleWhen{From: "11:00", Until: "13:00"}, true},
		{"window ends at noon (exclusive)", news.RuleWhen{From: "06:00", Until: "12:00"}, false},
		{"window starts at noon (inclusive)", news.RuleWhen{From: "12:00", Until: "12:01"}, true},
		{"night window", news.RuleWhen{From: "22:00", Until: "06:00"}, false},
		{"all conditions hold", news.RuleWhen{SectionIDs: []int64{11}, Tags: []string{"court"}, Flags: []string{news.FlagMinors}, OlderThanDays: 1, CommentsOver: 1, From: "00:00", Until: "23:59"}, true},
		{"all but one hold", news.RuleWhen{SectionIDs: []int64{11}, Tags: []string{"court"}, Flags: []string{news.FlagObituary}}, false},
	}
	for _, tc := range cases {
		rs := comments.NewRuleSet([]news.ModRule{rule(1, news.RulePremoderate, tc.w)}, seoul)
		if _, got := rs.Evaluate(art, now); got != tc.want {
			t.Errorf("%s: matched = %v, want %v", tc.name, got, tc.want)
		}
	}
	// An unpublished article is never "older than".
	rs := comments.NewRuleSet([]news.ModRule{rule(1, news.RuleClosed, news.RuleWhen{OlderThanDays: 1})}, seoul)
	if _, ok := rs.Evaluate(news.RuleArticle{}, now); ok {
		t.Error("an article without a publication time matched an age rule")
	}
	// Priority: the first match decides, even if a later one matches too.
	rs = comments.NewRuleSet([]news.ModRule{
		rule(1, news.RuleHidden, news.RuleWhen{Tags: []string{"sports"}}),
		rule(2, news.RuleOpen, news.RuleWhen{Flags: []string{news.FlagMinors}}),
		rule(3, news.RulePremoderate, news.RuleWhen{}),
	}, seoul)
	if got, ok := rs.Evaluate(art, now); !ok || got.ID != 2 {
		t.Errorf("first match = rule %d (%v), want rule 2", got.ID, ok)
	}
	if got, ok := rs.Evaluate(news.RuleArticle{}, now); !ok || got.ID != 3 {
		t.Errorf("fallback = rule %d (%v), want rule 3", got.ID, ok)
	}
	if _, ok := (*comments.RuleSet)(nil).Evaluate(art, now); ok {
		t.Error("no rules matched")
	}
}

// TestWindowEdges checks a window crossing midnight at each edge, in the
// paper's zone (not UTC).
func TestWindowEdges(t *testing.T) {
	rs := comments.NewRuleSet([]news.ModRule{rule(1, news.RuleClosed, news.RuleWhen{From: "22:00", Until: "06:00"})}, seoul)
	at := func(h, m, s int) time.Time { return time.Date(2026, 12, 5, h, m, s, 0, seoul) }
	for _, tc := range []struct {
		t    time.Time
		want bool
	}{
		{at(21, 59, 59), false}, {at(22, 0, 0), true}, {at(23, 59, 59), true}, {at(0, 0, 0), true},
		{at(5, 59, 59), true}, {at(6, 0, 0), false}, {at(12, 0, 0), false},
		// 13:00 UTC is 22:00 in Seoul.
		{time.Date(2026, 12, 5, 13, 0, 0, 0, time.UTC), true},
		{time.Date(2026, 12, 5, 12, 59, 0, 0, time.UTC), false},
	} {
		if _, got := rs.Evaluate(news.RuleArticle{}, tc.t); got != tc.want {
			t.Errorf("at %s: closed = %v, want %v", tc.t, got, tc.want)
		}
	}
}

// BenchmarkEvaluate: 100 rules, the article matching only the last
// (every rule is examined). Target: under 50 µs per evaluation.
func BenchmarkEvaluate(b *testing.B) {
	var rules []news.ModRule
	for i := range 99 {
		rules = append(rules, rule(int64(i+1), news.RulePremoderate, news.RuleWhen{
			SectionIDs: []int64{int64(1000 + i), int64(2000 + i)}, Tags: []string{fmt.Sprint("tag", i), fmt.Sprint("other", i)},
			Flags: []string{news.FlagObituary}, From: "01:00", Until: "02:00"}))
	}
	rules = append(rules, rule(100, news.RuleClosed, news.RuleWhen{Tags: []string{"court"}, From: "00:00", Until: "23:59"}))
	rs := comments.NewRuleSet(rules, seoul)
	art := news.RuleArticle{Sections: []int64{1, 2}, Tags: []string{"a", "b", "c", "court"}, Flags: []string{news.FlagMinors}, CommentCount: 10}
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		if r, ok := rs.Evaluate(art, now); !ok || r.ID != 100 {
			b.Fatal("wrong rule")
		}
	}
}

func addRule(t *testing.T, svc *comments.Service, r news.ModRule) news.ModRule {
	t.Helper()
	must(t, svc.SaveRule(t.Context(), "ed@byline.example", &r))
	return r
}

// TestRetagHoldsTheNextComment: no copy of the article's metadata is
// kept, so a tag or flag change governs the very next comment.
func TestRetagHoldsTheNextComment(t *testing.T) {
	svc, st, _, a, _ := setup(t, nil)
	r := reader(t, st, "kim", 24*time.Hour)
	court := addRule(t, svc, news.ModRule{Name: "Court", When: news.RuleWhen{Tags: []string{"court"}}, Action: news.RulePremoderate,
		Message: "Comments on court cases are read first.", Clause: "4"})
	c, err := svc.Post(t.Context(), r, comments.PostInput{ArticleID: a.ID, Body: "before the tag"})
	must(t, err)
	if c.Status != news.CommentApproved {
		t.Fatalf("before tagging: %s, want approved", c.Status)
	}
	art, err := st.ArticleByID(t.Context(), a.ID)
	must(t, err)
	art.Tags = append(art.Tags, "court")
	must(t, st.UpdateArticle(t.Context(), &art))
	c, err = svc.Post(t.Context(), r, comments.PostInput{ArticleID: a.ID, Body: "right after the tag"})
	must(t, err)
	if c.Status != news.CommentPending || c.Clause != "4" {
		t.Fatalf("first comment after tagging: %s clause %q, want pending under clause 4", c.Status, c.Clause)
	}
	log, err := st.ModerationLog(t.Context(), 10, 0)
	must(t, err)
	if len(log) == 0 || log[0].Action != "hold" || log[0].CommentID != c.ID || log[0].RuleID != court.ID || log[0].RuleVersion != 1 ||
		!log[0].Automatic || log[0].DecisionID == "" || log[0].PolicyVersion != 1 || log[0].Note != court.Message {
		t.Errorf("log[0] = %+v, want the automatic hold citing %s with the rule's message as facts", log[0], court.Ref())
	}

	// The same with a flag, and a rule's new version.
	v2 := court
	v2.When = news.RuleWhen{Flags: []string{news.FlagCourtCase}}
	v2.Action = news.RuleClosed
	must(t, svc.SaveRule(t.Context(), "ed@byline.example", &v2))
	if _, err := svc.Post(t.Context(), r, comments.PostInput{ArticleID: a.ID, Body: "tag no longer counts"}); err != nil {
		t.Fatalf("after the rule's new version a tag alone: %v, want accepted", err)
	}
	must(t, svc.SetArticleFlags(t.Context(), "ed", a.ID, []string{news.FlagCourtCase}))
	_, err = svc.Post(t.Context(), r, comments.PostInput{ArticleID: a.ID, Body: "flagged now"})
	if kind(err) != news.KindForbidden || !strings.Contains(err.Error(), "read first") {
		t.Fatalf("after flagging: %v, want forbidden with the rule's message", err)
	}
	mode, v, err := svc.ArticleMode(t.Context(), a.ID)
	must(t, err)
	if mode != news.CommentsClosed || v.Rule.ID != court.ID || v.Rule.Version != 2 {
		t.Errorf("mode %s by %s, want closed by %s v2", mode, v.Rule.Ref(), court.Ref())
	}
}

// TestScheduleWindow: a night window closes and reopens at its edges with
// nothing but the clock moving.
func TestScheduleWindow(t *testing.T) {
	svc, st, clk, a, _ := setup(t, func(s *news.CommentSettings) { s.PerReaderBurst, s.PerReaderPerMinute = 100, 600 })
	r := reader(t, st, "lee", 24*time.Hour)
	addRule(t, svc, news.ModRule{Name: "Night", When: news.RuleWhen{From: "00:00", Until: "06:00"}, Action: news.RuleClosed, Message: "Closed overnight.", Clause: "7"})
	base := time.Now().UTC().Truncate(24 * time.Hour).Add(24 * time.Hour) // next midnight UTC
	for _, tc := range []struct {
		at   time.Time
		open bool
	}{
		{base.Add(-time.Second), true}, {base, false}, {base.Add(6*time.Hour - time.Second), false}, {base.Add(6 * time.Hour), true},
	} {
		clk.add(tc.at.Sub(clk.now()))
		_, err := svc.Post(t.Context(), r, comments.PostInput{ArticleID: a.ID, Body: "at " + tc.at.Format(time.TimeOnly)})
		if got := err == nil; got != tc.open {
			t.Errorf("at %s: accepted = %v (%v), want %v", tc.at.Format(time.TimeOnly), got, err, tc.open)
		}
	}
}

// TestPremoderateLinks holds only comments with a link; a manual switch
// to closed stands over an open rule.
func TestPremoderateLinksAndManualSwitch(t *testing.T) {
	svc, st, _, a, _ := setup(t, func(s *news.CommentSettings) { s.PerReaderBurst, s.PerReaderPerMinute = 100, 600 })
	r := reader(t, st, "park", 24*time.Hour)
	addRule(t, svc, news.ModRule{Name: "Links", Action: news.RulePremoderateLinks, Message: "Comments with links are read first.", Clause: "5"})
	c, err := svc.Post(t.Context(), r, comments.PostInput{ArticleID: a.ID, Body: "no link here"})
	must(t, err)
	if c.Status != news.CommentApproved {
		t.Errorf("without a link: %s, want approved", c.Status)
	}
	c, err = svc.Post(t.Context(), r, comments.PostInput{ArticleID: a.ID, Body: "see https://example.com/a"})
	must(t, err)
	if c.Status != news.CommentPending || c.Clause != "5" {
		t.Errorf("with a link: %s clause %q, want pending under 5", c.Status, c.Clause)
	}
	must(t, svc.SetArticleMode(t.Context(), "ed", a.ID, news.CommentsClosed))
	if _, err := svc.Post(t.Context(), r, comments.PostInput{ArticleID: a.ID, Body: "closed by hand"}); kind(err) != news.KindForbidden {
		t.Errorf("manually closed: %v, want forbidden", err)
	}
	// A hidden rule hides the public thread.
	must(t, svc.SetArticleMode(t.Context(), "ed", a.ID, news.CommentsOpen))
	addRule(t, svc, news.ModRule{Name: "Hide", Action: news.RuleHidden, Message: "No comments here.", Clause: "1"})
	rules := svc.Rules().Rules()
	must(t, svc.OrderRules(t.Context(), "ed", []int64{rules[1].ID}))
	th, err := svc.Thread(t.Context(), a.ID)
	must(t, err)
	if !th.Hidden || len(th.Comments) != 0 {
		t.Errorf("thread under a hidden rule: hidden=%v, %d comments", th.Hidden, len(th.Comments))
	}
	// Refusals: a clause the policy lacks.
	bad := news.ModRule{Name: "Bad", Action: news.RuleClosed, Message: "x", Clause: "99"}
	if err := svc.SaveRule(t.Context(), "ed", &bad); kind(err) != news.KindInvalid {
		t.Errorf("clause 99: %v, want invalid", err)
	}
	if n := svc.Rules().Len(); n != 2 {
		t.Errorf("%d rules in force, want 2", n)
	}
}
