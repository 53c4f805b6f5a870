package comments_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"byline/internal/comments"
	"byline/internal/news"
)

// TestStatementsOfReasons: each decision records clause, policy version,
// facts, automatic or not (and the rule), a unique id and the date.
func TestStatementsOfReasons(t *testing.T) {
	svc, st, _, a, _ := setup(t, func(s *news.CommentSettings) { s.PerReaderBurst, s.PerReaderPerMinute = 100, 600 })
	r := reader(t, st, "kim", 24*time.Hour)
	c1, err := svc.Post(t.Context(), r, comments.PostInput{ArticleID: a.ID, Body: "first"})
	must(t, err)
	c2, err := svc.Post(t.Context(), r, comments.PostInput{ArticleID: a.ID, Body: "second"})
	must(t, err)
	must(t, svc.Moderate(t.Context(), "desk@example.com", c1.ID, comments.ActReject, "2", ""))
	must(t, svc.Moderate(t.Context(), "desk@example.com", c2.ID, comments.ActRemove, "3", "The comment attacks a group for its religion."))
	must(t, svc.Ban(t.Context(), "desk@example.com", r.ID, 24*time.Hour, false, "2", ""))
	ds, err := st.CommentDecisions(t.Context(), []int64{c1.ID, c2.ID})
	must(t, err)
	d1, d2 := ds[c1.ID], ds[c2.ID]
	if d1.Action != "reject" || d1.Clause != "2" || d1.PolicyVersion != 1 || d1.Automatic || d1.DecisionID == "" || d1.CreatedAt.IsZero() ||
		!strings.Contains(d1.Note, "clause 2 (Be civil)") {
		t.Errorf("reject decision = %+v", d1)
	}
	if d2.Note != "The comment attacks a group for its religion." || d2.DecisionID == d1.DecisionID {
		t.Errorf("remove decision = %+v (ids %q %q)", d2, d1.DecisionID, d2.DecisionID)
	}
	log, _ := st.ModerationLog(t.Context(), 1, 0)
	if log[0].Action != "ban" || log[0].DecisionID == "" || !strings.Contains(log[0].Note, "until") {
		t.Errorf("ban = %+v", log[0])
	}
	// The writer sees their comment's state and reasons (never others).
	rs, err := svc.Reasons(t.Context(), r.ID, []int64{c1.ID, c2.ID})
	must(t, err)
	if got := rs[c2.ID]; got.Clause != "3" || got.Facts != d2.Note || got.AppealUntil == nil || got.DecisionID != d2.DecisionID {
		t.Errorf("reason for c2 = %+v", got)
	}
	other := reader(t, st, "lee", 24*time.Hour)
	if rs, _ := svc.Reasons(t.Context(), other.ID, []int64{c1.ID}); len(rs) != 0 {
		t.Errorf("another reader sees reasons %+v", rs)
	}
}

// TestClauseRequiredOnEveryPath: the queue (one comment), bulk, a ban and
// an automatic hold are each refused without a clause, changing nothing.
func TestClauseRequiredOnEveryPath(t *testing.T) {
	svc, st, _, a, _ := setup(t, func(s *news.CommentSettings) {
		s.PerReaderBurst, s.PerReaderPerMinute = 100, 600
		s.BannedWords = []string{"scoundrel"}
	})
	r := reader(t, st, "kim", 24*time.Hour)
	c, err := svc.Post(t.Context(), r, comments.PostInput{ArticleID: a.ID, Body: "a fair point"})
	must(t, err)
	logLen := func() int { l, _ := st.ModerationLog(t.Context(), 500, 0); return len(l) }
	before := logLen()
	for _, action := range []string{comments.ActReject, comments.ActRemove, comments.ActDelete} {
		if err := svc.Moderate(t.Context(), "desk", c.ID, action, "", "facts"); kind(err) != news.KindInvalid {
			t.Errorf("%s without a clause: %v, want invalid", action, err)
		}
		if err := svc.Moderate(t.Context(), "desk", c.ID, action, "99", "facts"); kind(err) != news.KindInvalid {
			t.Errorf("%s under clause 99: %v, want invalid", action, err)
		}
	}
	if _, err := svc.BulkModerate(t.Context(), "desk", []int64{c.ID}, comments.ActReject, "", ""); kind(err) != news.KindInvalid {
		t.Errorf("bulk reject without a clause: %v, want invalid", err)
	}
	if _, err := svc.BulkModerate(t.Context(), "desk", nil, comments.ActReject, "2", ""); kind(err) != news.KindInvalid {
		t.Errorf("bulk with no comments: %v, want invalid", err)
	}
	if err := svc.Ban(t.Context(), "desk", r.ID, time.Hour, false, "", ""); kind(err) != news.KindInvalid {
		t.Errorf("ban without a clause: %v, want invalid", err)
	}
	if got, _ := st.CommentByID(t.Context(), c.ID); got.Status != news.CommentApproved {
		t.Errorf("after refusals the comment is %s, want approved", got.Status)
	}
	if rd, _ := st.ReaderByID(t.Context(), r.ID); rd.Banned(time.Now()) {
		t.Error("a ban without a clause took effect")
	}
	// Automatic: the banned-word rule with no clause set refuses the
	// comment rather than hold it without reasons.
	set := svc.Settings()
	set.BannedClause = ""
	must(t, st.SaveCommentSettings(t.Context(), set))
	must(t, svc.Reload(t.Context()))
	n, _ := st.CountReaderComments(t.Context(), r.ID)
	if _, err := svc.Post(t.Context(), r, comments.PostInput{ArticleID: a.ID, Body: "you scoundrel"}); kind(err) != news.KindInvalid {
		t.Errorf("automatic hold without a clause: %v, want invalid", err)
	}
	if m, _ := st.CountReaderComments(t.Context(), r.ID); m != n {
		t.Errorf("a comment was stored (%d → %d) by a hold refused for want of a clause", n, m)
	}
	if got := logLen(); got != before {
		t.Errorf("refusals logged %d entries", got-before)
	}
	// Bulk with a clause decides each comment separately.
	c2, _ := svc.Post(t.Context(), r, comments.PostInput{ArticleID: a.ID, Body: "another"})
	n2, err := svc.BulkModerate(t.Context(), "desk", []int64{c.ID, c2.ID}, comments.ActReject, "1", "Both are off topic.")
	must(t, err)
	ds, _ := st.CommentDecisions(t.Context(), []int64{c.ID, c2.ID})
	if n2 != 2 || ds[c.ID].DecisionID == "" || ds[c.ID].DecisionID == ds[c2.ID].DecisionID || ds[c2.ID].Note != "Both are off topic." {
		t.Errorf("bulk: %d decided, decisions %+v", n2, ds)
	}
}

// TestAppealReviewedByAnotherModerator: the moderator who decided cannot
// review the appeal; another reverses it, which publishes the comment
// again, keeps the original decision, and answers the writer.
func TestAppealReviewedByAnotherModerator(t *testing.T) {
	svc, st, clk, a, _ := setup(t, func(s *news.CommentSettings) { s.PerReaderBurst, s.PerReaderPerMinute = 100, 600 })
	r := reader(t, st, "kim", 24*time.Hour)
	other := reader(t, st, "lee", 24*time.Hour)
	c, err := svc.Post(t.Context(), r, comments.PostInput{ArticleID: a.ID, Body: "The verdict seems harsh."})
	must(t, err)
	if _, err := svc.Appeal(t.Context(), r, c.ID, "nothing to appeal"); kind(err) != news.KindConflict {
		t.Errorf("appeal of a published comment: %v, want conflict", err)
	}
	must(t, svc.Moderate(t.Context(), "first@example.com", c.ID, comments.ActRemove, "4", "The comment names a juror."))
	orig, _ := st.CommentDecisions(t.Context(), []int64{c.ID})
	if _, err := svc.Appeal(t.Context(), other, c.ID, "not mine"); kind(err) != news.KindForbidden {
		t.Errorf("appeal of someone else's comment: %v, want forbidden", err)
	}
	if _, err := svc.Appeal(t.Context(), r, c.ID, "   "); kind(err) != news.KindInvalid {
		t.Errorf("appeal without a reason: %v, want invalid", err)
	}
	ap, err := svc.Appeal(t.Context(), r, c.ID, "It names nobody; the juror is in the article.")
	must(t, err)
	if _, err := svc.Appeal(t.Context(), r, c.ID, "again"); kind(err) != news.KindConflict {
		t.Errorf("second appeal: %v, want conflict", err)
	}
	before, _ := st.CommentTarget(t.Context(), a.ID)

	// The first moderator may not review it (case aside).
	if err := svc.DecideAppeal(t.Context(), "First@Example.com", ap.ID, news.AppealReversed, "I was wrong."); kind(err) != news.KindForbidden {
		t.Fatalf("review by the deciding moderator: %v, want forbidden", err)
	}
	if got, _ := st.CommentByID(t.Context(), c.ID); got.Status != news.CommentRemoved {
		t.Fatalf("after the refused review the comment is %s, want still removed", got.Status)
	}
	if err := svc.DecideAppeal(t.Context(), "second@example.com", ap.ID, news.AppealReversed, ""); kind(err) != news.KindInvalid {
		t.Errorf("review without reasons: %v, want invalid", err)
	}
	must(t, svc.DecideAppeal(t.Context(), "second@example.com", ap.ID, news.AppealReversed, "The juror is named in the article itself; the comment adds nothing private."))
	got, _ := st.CommentByID(t.Context(), c.ID)
	after, _ := st.CommentTarget(t.Context(), a.ID)
	if got.Status != news.CommentApproved || after.CommentCount != before.CommentCount+1 {
		t.Errorf("after reversal: %s, count %d → %d", got.Status, before.CommentCount, after.CommentCount)
	}
	if d, err := st.DecisionByID(t.Context(), orig[c.ID].DecisionID); err != nil || d.Action != "remove" || d.Actor != "first@example.com" {
		t.Errorf("original decision after reversal = %+v, %v", d, err)
	}
	rs, _ := svc.Reasons(t.Context(), r.ID, []int64{c.ID})
	if rv := rs[c.ID]; rv.Action != "remove" || rv.Facts != "The comment names a juror." || rv.Appeal == nil || rv.Appeal.Status != "reversed" || !strings.Contains(rv.Appeal.Reply, "juror") {
		t.Errorf("the writer is told %+v", rv)
	}
	if err := svc.DecideAppeal(t.Context(), "third@example.com", ap.ID, news.AppealUpheld, "No."); kind(err) != news.KindConflict {
		t.Errorf("deciding twice: %v, want conflict", err)
	}

	// Six months: then no appeal.
	c2, _ := svc.Post(t.Context(), r, comments.PostInput{ArticleID: a.ID, Body: "Another view."})
	must(t, svc.Moderate(t.Context(), "first@example.com", c2.ID, comments.ActReject, "1", "Off topic."))
	clk.add(news.AppealWindow + time.Hour)
	if _, err := svc.Appeal(t.Context(), r, c2.ID, "late"); kind(err) != news.KindForbidden {
		t.Errorf("appeal after six months: %v, want forbidden", err)
	}
	if rs, _ := svc.Reasons(t.Context(), r.ID, []int64{c2.ID}); rs[c2.ID].AppealUntil != nil {
		t.Error("the Appeal button is offered after six months")
	}
}

// TestRulesReachEveryServer: a rule saved on one server is in force on
// another at once, before the change notice arrives (the rules'
// generation read with the article says they changed), and still after
// it (the NOTIFY path calls Reload).
func TestRulesReachEveryServer(t *testing.T) {
	svc, st, clk, a, _ := setup(t, nil)
	svc2, err := comments.New(t.Context(), st, comments.Options{Now: clk.now})
	must(t, err)
	var notified []news.Change
	svc3, err := comments.New(t.Context(), st, comments.Options{Now: clk.now, Notifier: news.NotifierFunc(func(_ context.Context, c news.Change) { notified = append(notified, c) })})
	must(t, err)
	rule := news.ModRule{Name: "Hold all", Action: news.RulePremoderate, Message: "Read first.", Clause: "7"}
	must(t, svc3.SaveRule(t.Context(), "ed", &rule))
	if len(notified) != 1 || notified[0].Kind != news.ChangeSettings {
		t.Fatalf("saving a rule notified %+v, want one settings change", notified)
	}
	if n := svc3.Rules().Len(); n != 1 {
		t.Errorf("the saving server has %d rules, want 1 at once", n)
	}
	if v, err := svc2.Verdict(t.Context(), a.ID); err != nil || !v.Matched || v.Rule.ID != rule.ID {
		t.Errorf("another server before the notice: %+v (%v), want the rule at once", v, err)
	}
	must(t, svc2.Reload(t.Context())) // what applyChange does on ChangeSettings
	if v, _ := svc2.Verdict(t.Context(), a.ID); !v.Matched || v.Rule.ID != rule.ID {
		t.Errorf("after the notice: %+v, want the rule", v)
	}
	_ = svc
}

// TestPolicyKeepsCitedClauses: a new policy version without a clause the
// settings or a rule cite is refused (automatic decisions would fail).
func TestPolicyKeepsCitedClauses(t *testing.T) {
	svc, _, _, _, _ := setup(t, nil)
	rule := news.ModRule{Name: "Courts", Action: news.RulePremoderate, Message: "Read first.", Clause: "4"}
	must(t, svc.SaveRule(t.Context(), "ed", &rule))
	without4 := strings.Replace(comments.DefaultPolicy, "## 4. No false or harmful claims", "## 8. No false or harmful claims", 1)
	if _, err := svc.SavePolicy(t.Context(), "ed", without4, "renumbered"); kind(err) != news.KindInvalid || !strings.Contains(err.Error(), "Courts") {
		t.Errorf("policy without clause 4 (cited by a rule): %v, want invalid naming the rule", err)
	}
	without7 := strings.Replace(comments.DefaultPolicy, "## 7. Moderation and appeals", "## 9. Moderation and appeals", 1)
	if _, err := svc.SavePolicy(t.Context(), "ed", without7, "renumbered"); kind(err) != news.KindInvalid || !strings.Contains(err.Error(), "Settings") {
		t.Errorf("policy without clause 7 (the hold clause): %v, want invalid naming the settings", err)
	}
	if svc.Policy().Version != 1 {
		t.Errorf("policy version %d after refusals, want 1", svc.Policy().Version)
	}
	p, err := svc.SavePolicy(t.Context(), "ed", comments.DefaultPolicy+"\n## 8. New clause\nText.\n", "added")
	must(t, err)
	if p.Version != 2 {
		t.Errorf("new version %d, want 2", p.Version)
	}
}
