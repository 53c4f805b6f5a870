package comments_test

import (
	"testing"
	"time"

	"byline/internal/news"
)

// TestBanAppeal: a banned reader appeals the ban (the same appeals as a
// comment's: six months, once); the moderator who banned may not review
// it, in the service whatever the page does; another moderator's
// reversal lifts the ban; a reader not banned has nothing to appeal.
func TestBanAppeal(t *testing.T) {
	svc, st, clk, _, _ := setup(t, nil)
	ctx := t.Context()
	r := reader(t, st, "kim", 24*time.Hour)
	fresh := func() news.Reader {
		t.Helper()
		got, err := st.ReaderByID(ctx, r.ID)
		must(t, err)
		return got
	}
	if _, err := svc.Appeal(ctx, fresh(), 0, "I did nothing"); kind(err) != news.KindConflict {
		t.Errorf("appeal while not banned: %v, want conflict", err)
	}
	if rs, err := svc.BanReason(ctx, fresh()); err != nil || rs != nil {
		t.Errorf("ban reason while not banned: %+v %v", rs, err)
	}
	// A shadow ban is not announced, so not offered for appeal here.
	must(t, svc.Ban(ctx, "desk@example.com", r.ID, time.Hour, true, "2", ""))
	if _, err := svc.Appeal(ctx, fresh(), 0, "why"); kind(err) != news.KindConflict {
		t.Errorf("appeal of a shadow ban: %v, want conflict", err)
	}
	must(t, svc.Ban(ctx, "desk@example.com", r.ID, 0, false, "", ""))

	must(t, svc.Ban(ctx, "desk@example.com", r.ID, 30*24*time.Hour, false, "2", "Insults in three comments this week."))
	rs, err := svc.BanReason(ctx, fresh())
	must(t, err)
	if rs == nil || rs.Action != "ban" || rs.Clause != "2" || rs.Facts != "Insults in three comments this week." || rs.AppealUntil == nil || rs.Appeal != nil {
		t.Fatalf("ban reason = %+v", rs)
	}
	if _, err := svc.Appeal(ctx, fresh(), 0, "  "); kind(err) != news.KindInvalid {
		t.Errorf("appeal without a reason: %v, want invalid", err)
	}
	ap, err := svc.Appeal(ctx, fresh(), 0, "Two of the comments were quotes from the article.")
	must(t, err)
	if ap.CommentID != 0 || ap.DecisionID != rs.DecisionID {
		t.Errorf("appeal = %+v, want the ban's decision %s", ap, rs.DecisionID)
	}
	if _, err := svc.Appeal(ctx, fresh(), 0, "again"); kind(err) != news.KindConflict {
		t.Errorf("second appeal: %v, want conflict", err)
	}
	if rs, _ := svc.BanReason(ctx, fresh()); rs == nil || rs.Appeal == nil || rs.Appeal.Status != "open" || rs.AppealUntil != nil {
		t.Errorf("ban reason after appealing = %+v", rs)
	}
	for _, same := range []string{"desk@example.com", "DESK@example.com", ""} {
		if err := svc.DecideAppeal(ctx, same, ap.ID, news.AppealReversed, "Fine."); kind(err) != news.KindForbidden {
			t.Errorf("review by %q: %v, want forbidden", same, err)
		}
	}
	if !fresh().Banned(clk.now()) {
		t.Fatal("a refused review lifted the ban")
	}
	must(t, svc.DecideAppeal(ctx, "chief@example.com", ap.ID, news.AppealReversed, "Quoting the article is not an insult."))
	if got := fresh(); got.Banned(clk.now()) || got.BanClause != "" {
		t.Errorf("after the reversal: %+v, want no ban", got)
	}
	if orig, err := st.DecisionByID(ctx, rs.DecisionID); err != nil || orig.Action != "ban" {
		t.Errorf("the ban left the record: %+v %v", orig, err)
	}

	// Six months: a year's ban can be appealed for 183 days, not after.
	must(t, svc.Ban(ctx, "desk@example.com", r.ID, 400*24*time.Hour, false, "2", ""))
	clk.add(news.AppealWindow + time.Hour)
	if rs, _ := svc.BanReason(ctx, fresh()); rs == nil || rs.AppealUntil != nil {
		t.Errorf("ban reason after six months = %+v, want no appeal offered", rs)
	}
	if _, err := svc.Appeal(ctx, fresh(), 0, "late"); kind(err) != news.KindForbidden {
		t.Errorf("appeal after six months: %v, want forbidden", err)
	}
}
