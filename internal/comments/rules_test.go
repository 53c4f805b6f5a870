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

// TestWindowAcrossDST: a window written in the paper's zone follows the
// zone's wall clock on the days it changes (Europe/London: GMT to BST
// on 29 March 2026, back on 25 October), not a fixed offset from UTC.
func TestWindowAcrossDST(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatalf("time zone data: %v", err)
	}
	utc := func(mo time.Month, d, h, m, s int) time.Time { return time.Date(2026, mo, d, h, m, s, 0, time.UTC) }
	night := comments.NewRuleSet([]news.ModRule{rule(1, news.RuleClosed, news.RuleWhen{From: "22:00", Until: "06:00"})}, london)
	// 01:30–03:00 starts in the hour skipped in spring; 01:00–01:30
	// is lived twice in autumn.
	skipped := comments.NewRuleSet([]news.ModRule{rule(2, news.RuleClosed, news.RuleWhen{From: "01:30", Until: "03:00"})}, london)
	twice := comments.NewRuleSet([]news.ModRule{rule(3, news.RuleClosed, news.RuleWhen{From: "01:00", Until: "01:30"})}, london)
	for _, tc := range []struct {
		name string
		rs   *comments.RuleSet
		at   time.Time
		want bool
	}{
		// Spring: the night before is GMT (22:00 local = 22:00 UTC), the
		// morning after is BST (06:00 local = 05:00 UTC).
		{"spring eve 21:59:59 GMT", night, utc(time.March, 28, 21, 59, 59), false},
		{"spring eve 22:00 GMT", night, utc(time.March, 28, 22, 0, 0), true},
		{"spring 00:59:59 GMT (last second before the jump)", night, utc(time.March, 29, 0, 59, 59), true},
		{"spring 02:00 BST (first second after the jump)", night, utc(time.March, 29, 1, 0, 0), true},
		{"spring 05:59:59 BST", night, utc(time.March, 29, 4, 59, 59), true},
		{"spring 06:00 BST (05:00 UTC): open", night, utc(time.March, 29, 5, 0, 0), false},
		{"spring evening 21:59:59 BST", night, utc(time.March, 29, 20, 59, 59), false},
		{"spring evening 22:00 BST (21:00 UTC)", night, utc(time.March, 29, 21, 0, 0), true},
		{"skipped hour: 00:59:59 GMT, before the window", skipped, utc(time.March, 29, 0, 59, 59), false},
		{"skipped hour: the clock jumps to 02:00 BST, inside", skipped, utc(time.March, 29, 1, 0, 0), true},
		{"skipped hour: 03:00 BST ends it", skipped, utc(time.March, 29, 2, 0, 0), false},
		// Autumn: the night before is BST (22:00 local = 21:00 UTC), the
		// morning after GMT (06:00 local = 06:00 UTC).
		{"autumn eve 21:59:59 BST", night, utc(time.October, 24, 20, 59, 59), false},
		{"autumn eve 22:00 BST (21:00 UTC)", night, utc(time.October, 24, 21, 0, 0), true},
		{"autumn 01:59:59 BST", night, utc(time.October, 25, 0, 59, 59), true},
		{"autumn 01:00 GMT again", night, utc(time.October, 25, 1, 0, 0), true},
		{"autumn 05:59:59 GMT", night, utc(time.October, 25, 5, 59, 59), true},
		{"autumn 06:00 GMT (06:00 UTC): open", night, utc(time.October, 25, 6, 0, 0), false},
		{"repeated hour, first time (01:00 BST = 00:00 UTC)", twice, utc(time.October, 25, 0, 0, 0), true},
		{"repeated hour, first time ends (01:30 BST)", twice, utc(time.October, 25, 0, 30, 0), false},
		{"repeated hour, second time (01:00 GMT = 01:00 UTC)", twice, utc(time.October, 25, 1, 0, 0), true},
		{"repeated hour, second time 01:29:59 GMT", twice, utc(time.October, 25, 1, 29, 59), true},
		{"repeated hour, second time ends (01:30 GMT)", twice, utc(time.October, 25, 1, 30, 0), false},
	} {
		if _, got := tc.rs.Evaluate(news.RuleArticle{}, tc.at); got != tc.want {
			t.Errorf("%s (%s, %s in London): closed = %v, want %v", tc.name, tc.at.Format(time.TimeOnly), tc.at.In(london).Format("15:04:05 MST"), got, tc.want)
		}
	}
}

// TestRuleTagsFoldedAsArticleTags: a rule's tags are folded exactly as
// articles' tags are (news.NormalizeTag: case and inner white space),
// on save and for rules stored before that.
func TestRuleTagsFoldedAsArticleTags(t *testing.T) {
	r := news.ModRule{Name: "Court", Action: news.RulePremoderate, Message: "m", Clause: "4",
		When: news.RuleWhen{Tags: []string{" Court  Case ", "court case", "Court\tcase", "Seoul"}}}
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(r.When.Tags, "|"), "court case|seoul"; got != want {
		t.Errorf("tags after Validate = %q, want %q", got, want)
	}
	for _, tag := range []string{"court case", "Court  Case", " court\u00a0case"} {
		r := news.ModRule{Name: "x", Action: news.RuleOpen, When: news.RuleWhen{Tags: []string{tag}}}
		if err := r.Validate(); err != nil || r.When.Tags[0] != news.NormalizeTag("COURT CASE") {
			t.Errorf("Validate(%q) = %q (%v), want %q", tag, r.When.Tags, err, news.NormalizeTag("COURT CASE"))
		}
	}
	// A rule stored unfolded still matches the article's key.
	old := rule(1, news.RulePremoderate, news.RuleWhen{Tags: []string{"Court  Case"}})
	rs := comments.NewRuleSet([]news.ModRule{old}, seoul)
	art := news.RuleArticle{Tags: []string{news.NormalizeTag("court case")}}
	if _, ok := rs.Evaluate(art, time.Now()); !ok {
		t.Error(`a stored rule tagged "Court  Case" does not match an article tagged "court case"`)
	}
	if _, ok := rs.Evaluate(news.RuleArticle{Tags: []string{"courtcase"}}, time.Now()); ok {
		t.Error(`"Court  Case" matched "courtcase"`)
	}

	// Through the service and the store: the editor writes the tag one
	// way, the article another; the next comment is held.
	svc, st, _, a, _ := setup(t, nil)
	kim := reader(t, st, "kim", 24*time.Hour)
	addRule(t, svc, news.ModRule{Name: "Court", When: news.RuleWhen{Tags: []string{"Court   Case"}}, Action: news.RulePremoderate,
		Message: "Comments on court cases are read first.", Clause: "4"})
	if got := svc.Rules().Rules()[0].When.Tags; len(got) != 1 || got[0] != "court case" {
		t.Errorf("stored rule tags = %q, want [court case]", got)
	}
	art2, err := st.ArticleByID(t.Context(), a.ID)
	must(t, err)
	art2.Tags = append(art2.Tags, "COURT case")
	must(t, st.UpdateArticle(t.Context(), &art2))
	c, err := svc.Post(t.Context(), kim, comments.PostInput{ArticleID: a.ID, Body: "after the tag"})
	must(t, err)
	if c.Status != news.CommentPending {
		t.Errorf("comment on an article tagged %q under a rule for %q: %s, want pending", "COURT case", "Court   Case", c.Status)
	}
}

// TestRuleChangedOnAnotherServer: two services on one database (two
// servers) that never hear each other's notifications. A rule written,
// changed, put first or retired through one governs the very next
// comment through the other: the rules' generation is read with the
// article's metadata, so no request is served with stale rules.
func TestRuleChangedOnAnotherServer(t *testing.T) {
	svcA, st, clk, a, _ := setup(t, func(s *news.CommentSettings) { s.PerReaderBurst, s.PerReaderPerMinute = 100, 600 })
	svcB, err := comments.New(t.Context(), st, comments.Options{Now: clk.now})
	must(t, err)
	kim := reader(t, st, "kim", 24*time.Hour)
	n := 0
	post := func() (news.Comment, error) {
		n++
		return svcB.Post(t.Context(), kim, comments.PostInput{ArticleID: a.ID, Body: fmt.Sprint("comment ", n, " on the second server")})
	}
	if c, err := post(); err != nil || c.Status != news.CommentApproved {
		t.Fatalf("without rules: %s (%v), want approved", c.Status, err)
	}
	all := addRule(t, svcA, news.ModRule{Name: "Read first", Action: news.RulePremoderate, Message: "Comments are read first.", Clause: "4"})
	if c, err := post(); err != nil || c.Status != news.CommentPending || c.Clause != "4" {
		t.Fatalf("after the first rule was saved on the other server: %s clause %q (%v), want pending under 4", c.Status, c.Clause, err)
	}
	v2 := all
	v2.Action, v2.Message = news.RuleClosed, "Closed for the night."
	must(t, svcA.SaveRule(t.Context(), "ed", &v2))
	if _, err := post(); kind(err) != news.KindForbidden || !strings.Contains(err.Error(), "Closed for the night") {
		t.Fatalf("after version 2 (closed) on the other server: %v, want forbidden with its message", err)
	}
	open := addRule(t, svcA, news.ModRule{Name: "Open", Action: news.RuleOpen})
	if _, err := post(); kind(err) != news.KindForbidden {
		t.Fatalf("an open rule placed last: %v, want still closed", err)
	}
	must(t, svcA.OrderRules(t.Context(), "ed", []int64{open.ID}))
	if c, err := post(); err != nil || c.Status != news.CommentApproved {
		t.Fatalf("the open rule put first on the other server: %s (%v), want approved", c.Status, err)
	}
	must(t, svcA.RetireRule(t.Context(), "ed", open.ID))
	if _, err := post(); kind(err) != news.KindForbidden {
		t.Fatalf("the open rule retired on the other server: %v, want closed again", err)
	}
	mode, v, err := svcB.ArticleMode(t.Context(), a.ID)
	must(t, err)
	if mode != news.CommentsClosed || v.Rule.ID != all.ID || v.Rule.Version != 2 {
		t.Errorf("the second server's verdict: %s by %s, want closed by %s v2", mode, v.Rule.Ref(), all.Ref())
	}
	must(t, svcA.RetireRule(t.Context(), "ed", all.ID))
	if c, err := post(); err != nil || c.Status != news.CommentApproved {
		t.Fatalf("every rule retired on the other server: %s (%v), want approved", c.Status, err)
	}
	if got := svcB.Rules().Len(); got != 0 {
		t.Errorf("the second server holds %d rules, want 0", got)
	}
}
