package storetest

import (
	"testing"
	"time"

	"byline/internal/news"
)

func init() {
	register("BanAppeals", testBanAppeals)
}

// testBanAppeals: the reader's latest ban entry is found; an appeal of a
// ban (no comment) is stored like any other; its reversal lifts the ban
// in the same transaction, unless a later ban replaced it; the ban stays
// in the record; an upheld appeal lifts nothing.
func testBanAppeals(t *testing.T, s news.Store) {
	r := news.Reader{Provider: "x", Subject: "banned", Name: "Banned Reader"}
	must(t, s.UpsertReader(ctx, &r))
	if _, err := s.ReaderBanDecision(ctx, r.ID); news.KindOf(err) != news.KindNotFound {
		t.Fatalf("ban decision of a reader never banned: %v, want not found", err)
	}
	ban := func(id string, until time.Time) {
		t.Helper()
		must(t, s.BanReader(ctx, r.ID, until, false, time.Time{}, "2"))
		d := decision("ban", "first@example.com", 0, "2", id)
		d.ReaderID = r.ID
		must(t, s.AddModerationEntry(ctx, d))
	}
	until := time.Now().Add(7 * 24 * time.Hour).UTC().Truncate(time.Millisecond)
	ban("ban-1", until)
	// A comment decision about the same reader is not a ban.
	rm := decision("remove", "first@example.com", 77, "2", "rm-1")
	rm.ReaderID = r.ID
	must(t, s.AddModerationEntry(ctx, rm))
	got, err := s.ReaderBanDecision(ctx, r.ID)
	must(t, err)
	if got.DecisionID != "ban-1" || got.Action != "ban" {
		t.Fatalf("ban decision = %+v, want ban-1", got)
	}
	appeal := func(decisionID string) news.Appeal {
		t.Helper()
		a := news.Appeal{DecisionID: decisionID, ReaderID: r.ID, Reason: "The ban was for someone else's words.", CreatedAt: time.Now()}
		must(t, s.CreateAppeal(ctx, &a, &news.ModerationEntry{Actor: "reader", Action: "appeal", ReaderID: r.ID, Clause: "2", Note: "appealed", Ref: decisionID}))
		return a
	}
	outcome := func(action, id, ref string) *news.ModerationEntry {
		e := decision(action, "second@example.com", 0, "2", id)
		e.ReaderID, e.Ref, e.Note = r.ID, ref, "The reviewer's reasons."
		return e
	}
	// Upheld: the ban stands.
	a1 := appeal("ban-1")
	if a1.CommentID != 0 {
		t.Errorf("a ban appeal names comment %d", a1.CommentID)
	}
	must(t, s.DecideAppeal(ctx, a1.ID, news.AppealUpheld, "second@example.com", "stands", outcome("uphold", "up-1", "ban-1")))
	if rd, _ := s.ReaderByID(ctx, r.ID); !rd.BannedUntil.Equal(until) {
		t.Errorf("after an upheld appeal: banned until %v, want %v", rd.BannedUntil, until)
	}
	// A second ban, appealed and reversed: lifted with the reversal.
	ban("ban-2", until.Add(time.Hour))
	a2 := appeal("ban-2")
	must(t, s.DecideAppeal(ctx, a2.ID, news.AppealReversed, "second@example.com", "lifted", outcome("reverse", "rev-2", "ban-2")))
	rd, _ := s.ReaderByID(ctx, r.ID)
	if !rd.BannedUntil.IsZero() || rd.BanClause != "" || rd.Shadow {
		t.Errorf("after the reversal: %+v, want no ban", rd)
	}
	if orig, err := s.DecisionByID(ctx, "ban-2"); err != nil || orig.Action != "ban" {
		t.Errorf("the reversed ban is not in the record: %+v %v", orig, err)
	}
	// A reversal of an older ban does not lift a newer one.
	ban("ban-3", until)
	a3 := appeal("ban-3")
	ban("ban-4", until.Add(2*time.Hour))
	must(t, s.DecideAppeal(ctx, a3.ID, news.AppealReversed, "second@example.com", "lifted", outcome("reverse", "rev-3", "ban-3")))
	if rd, _ := s.ReaderByID(ctx, r.ID); !rd.BannedUntil.Equal(until.Add(2 * time.Hour)) {
		t.Errorf("reversing ban-3 touched the later ban-4: banned until %v", rd.BannedUntil)
	}
	if got, _ := s.ReaderBanDecision(ctx, r.ID); got.DecisionID != "ban-4" {
		t.Errorf("latest ban = %q, want ban-4", got.DecisionID)
	}
	all, _ := s.ModerationChain(ctx, 0, 100)
	if _, _, brk := news.VerifyChain(all, "", false); brk != nil {
		t.Errorf("chain after ban appeals breaks at %d: %s", brk.ID, brk.Reason)
	}
}
