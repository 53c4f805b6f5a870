package storetest

import (
	"fmt"
	"testing"
	"time"

	"byline/internal/news"
)

func init() {
	register("ModerationLogChain", testModerationChain)
	register("DecisionsAndAppeals", testDecisionsAndAppeals)
}

func decision(action, actor string, commentID int64, clause, id string) *news.ModerationEntry {
	return &news.ModerationEntry{Actor: actor, Action: action, CommentID: commentID, Clause: clause, Note: "The comment insults another reader.",
		DecisionID: id, PolicyVersion: 1, Automatic: actor == "system", CreatedAt: time.Now()}
}

// testModerationChain: the log is hash-chained, a decision without its
// statement of reasons is refused, and verification finds the changed
// entry.
func testModerationChain(t *testing.T, s news.Store) {
	for i := range 5 {
		must(t, s.AddModerationEntry(ctx, decision("remove", "desk@example.com", int64(100+i), "2", fmt.Sprintf("d-%d", i))))
	}
	must(t, s.AddModerationEntry(ctx, &news.ModerationEntry{Actor: "desk@example.com", Action: "settings", Note: "mode publish"}))
	// Refusals: nothing appended.
	for name, e := range map[string]*news.ModerationEntry{
		"no clause":            decision("reject", "desk@example.com", 1, "", "x-1"),
		"no facts":             {Actor: "system", Action: "hold", Clause: "2", DecisionID: "x-2", PolicyVersion: 1, Automatic: true},
		"no id":                decision("ban", "desk@example.com", 0, "2", ""),
		"no policy version":    {Actor: "desk", Action: "remove", Clause: "2", Note: "facts", DecisionID: "x-3"},
		"system not automatic": {Actor: "system", Action: "hold", Clause: "2", Note: "facts", DecisionID: "x-4", PolicyVersion: 1},
	} {
		if err := s.AddModerationEntry(ctx, e); news.KindOf(err) != news.KindInvalid {
			t.Errorf("%s: %v, want invalid", name, err)
		}
	}
	dup := decision("remove", "desk@example.com", 1, "2", "d-0")
	if err := s.AddModerationEntry(ctx, dup); err == nil {
		t.Error("a second decision with the same id was stored")
	}
	all, err := s.ModerationChain(ctx, 0, 100)
	must(t, err)
	if len(all) != 6 {
		t.Fatalf("%d entries, want 6", len(all))
	}
	if all[0].PrevHash != "" || all[1].PrevHash != all[0].Hash || all[5].PrevHash != all[4].Hash {
		t.Errorf("entries do not link: %q %q %q", all[0].PrevHash, all[1].PrevHash, all[0].Hash)
	}
	if _, _, brk := news.VerifyChain(all, "", false); brk != nil {
		t.Fatalf("untouched log fails verification at %d: %s", brk.ID, brk.Reason)
	}
	// Paging: a chain read in two parts verifies the same.
	first, _ := s.ModerationChain(ctx, 0, 3)
	rest, _ := s.ModerationChain(ctx, first[len(first)-1].ID, 100)
	last, _, brk := news.VerifyChain(first, "", false)
	if _, _, brk2 := news.VerifyChain(rest, last, true); brk != nil || brk2 != nil || len(rest) != 3 {
		t.Errorf("paged verification: %v %v, %d entries", brk, brk2, len(rest))
	}
	got, err := s.DecisionByID(ctx, "d-3")
	must(t, err)
	if got.CommentID != 103 || got.PolicyVersion != 1 || got.Hash == "" || got.Note == "" {
		t.Errorf("decision d-3 = %+v", got)
	}
	_, err = s.DecisionByID(ctx, "nope")
	wantKind(t, err, news.KindNotFound)
	list, err := s.ModerationLog(ctx, 10, 0)
	must(t, err)
	if len(list) != 6 || list[0].Action != "settings" || list[5].DecisionID != "d-0" {
		t.Errorf("log newest first = %d entries, first %q", len(list), list[0].Action)
	}
	ds, err := s.Decisions(ctx, time.Now().Add(-time.Hour), time.Now().Add(time.Hour), 100)
	must(t, err)
	if len(ds) != 5 {
		t.Errorf("%d decisions in the last hour, want 5 (settings are no decision)", len(ds))
	}
}

func testDecisionsAndAppeals(t *testing.T, s news.Store) {
	f := Seed(t, s)
	a := Publish(t, s, f.Politics, "Trial", "Text", time.Hour, nil)
	r := news.Reader{Provider: "x", Subject: "appeal", Name: "Writer", CreatedAt: time.Now().Add(-48 * time.Hour)}
	must(t, s.UpsertReader(ctx, &r))
	c := news.Comment{ArticleID: a.ID, ReaderID: r.ID, AuthorName: "Writer", Body: "Not an insult", Status: news.CommentApproved, CreatedAt: time.Now()}
	must(t, s.CreateComment(ctx, &c))
	reply := news.Comment{ArticleID: a.ID, ParentID: c.ID, ReaderID: r.ID, AuthorName: "Writer", Body: "More", Status: news.CommentApproved, CreatedAt: time.Now()}
	must(t, s.CreateComment(ctx, &reply))
	must(t, s.SetCommentStatus(ctx, reply.ID, news.CommentRemoved, "2"))
	d := decision("remove", "first@example.com", reply.ID, "2", "dec-1")
	d.ReaderID, d.ArticleID = r.ID, a.ID
	must(t, s.AddModerationEntry(ctx, d))

	byComment, err := s.CommentDecisions(ctx, []int64{reply.ID, c.ID})
	must(t, err)
	if len(byComment) != 1 || byComment[reply.ID].DecisionID != "dec-1" {
		t.Errorf("comment decisions = %+v", byComment)
	}
	ap := news.Appeal{DecisionID: "dec-1", CommentID: reply.ID, ReaderID: r.ID, Reason: "It was a fair question.", CreatedAt: time.Now()}
	logAppeal := &news.ModerationEntry{Actor: "reader", Action: "appeal", CommentID: reply.ID, Note: "appealed", Ref: "dec-1"}
	must(t, s.CreateAppeal(ctx, &ap, logAppeal))
	if ap.ID == 0 || ap.Status != news.AppealOpen || logAppeal.ID == 0 {
		t.Fatalf("appeal = %+v, log id %d", ap, logAppeal.ID)
	}
	again := news.Appeal{DecisionID: "dec-1", CommentID: reply.ID, ReaderID: r.ID, Reason: "again", CreatedAt: time.Now()}
	wantKind(t, s.CreateAppeal(ctx, &again, &news.ModerationEntry{Actor: "reader", Action: "appeal", Note: "x"}), news.KindConflict)
	bad := news.Appeal{DecisionID: "dec-1", ReaderID: r.ID}
	wantKind(t, s.CreateAppeal(ctx, &bad, &news.ModerationEntry{Actor: "reader", Action: "appeal", Note: "x"}), news.KindInvalid)
	open, err := s.Appeals(ctx, news.AppealOpen, 10, 0)
	must(t, err)
	if len(open) != 1 || open[0].Reason != "It was a fair question." {
		t.Errorf("open appeals = %+v", open)
	}
	mine, _ := s.ReaderAppeals(ctx, r.ID)
	if len(mine) != 1 {
		t.Errorf("reader appeals = %d, want 1", len(mine))
	}

	before, _ := s.CommentTarget(ctx, a.ID)
	parentBefore, _ := s.CommentByID(ctx, c.ID)
	outcome := decision("reverse", "second@example.com", reply.ID, "2", "dec-2")
	outcome.Ref, outcome.Note = "dec-1", "A question about the verdict breaks no rule."
	wantKind(t, s.DecideAppeal(ctx, ap.ID, "maybe", "second@example.com", "x", outcome), news.KindInvalid)
	must(t, s.DecideAppeal(ctx, ap.ID, news.AppealReversed, "second@example.com", outcome.Note, outcome))
	got, _ := s.CommentByID(ctx, reply.ID)
	if got.Status != news.CommentApproved || got.Clause != "" {
		t.Errorf("reversed comment: %s clause %q, want approved", got.Status, got.Clause)
	}
	after, _ := s.CommentTarget(ctx, a.ID)
	parentAfter, _ := s.CommentByID(ctx, c.ID)
	if after.CommentCount != before.CommentCount+1 || parentAfter.ReplyCount != parentBefore.ReplyCount+1 {
		t.Errorf("counts after reversal: article %d→%d, replies %d→%d, want +1 each", before.CommentCount, after.CommentCount, parentBefore.ReplyCount, parentAfter.ReplyCount)
	}
	decided, _ := s.AppealByID(ctx, ap.ID)
	if decided.Status != news.AppealReversed || decided.Reviewer != "second@example.com" || decided.OutcomeID != "dec-2" || decided.DecidedAt.IsZero() {
		t.Errorf("decided appeal = %+v", decided)
	}
	// The first moderator is told what the review found; others are not.
	told, err := s.AppealsOfDecisionsBy(ctx, "first@example.com", time.Now().Add(-time.Hour), 10)
	must(t, err)
	if len(told) != 1 || told[0].ID != ap.ID || told[0].Status != news.AppealReversed || told[0].Reply != outcome.Note {
		t.Errorf("appeals of first@'s decisions = %+v, want the reversed appeal %d", told, ap.ID)
	}
	for _, who := range []string{"second@example.com", "reader"} {
		if other, err := s.AppealsOfDecisionsBy(ctx, who, time.Now().Add(-time.Hour), 10); err != nil || len(other) != 0 {
			t.Errorf("appeals of %s's decisions = %+v, %v; want none", who, other, err)
		}
	}
	if later, err := s.AppealsOfDecisionsBy(ctx, "first@example.com", time.Now().Add(time.Hour), 10); err != nil || len(later) != 0 {
		t.Errorf("appeals decided after an hour from now = %+v, %v; want none", later, err)
	}
	// Decided once only; the original decision stays in the record.
	wantKind(t, s.DecideAppeal(ctx, ap.ID, news.AppealUpheld, "third@example.com", "x", decision("uphold", "third@example.com", reply.ID, "2", "dec-3")), news.KindConflict)
	if orig, err := s.DecisionByID(ctx, "dec-1"); err != nil || orig.Action != "remove" {
		t.Errorf("original decision after reversal: %+v %v", orig, err)
	}
	if _, err := s.DecisionByID(ctx, "dec-3"); news.KindOf(err) != news.KindNotFound {
		t.Errorf("a refused outcome was logged: %v", err)
	}
	_, err = s.AppealByID(ctx, 99999)
	wantKind(t, err, news.KindNotFound)
	all, _ := s.ModerationChain(ctx, 0, 100)
	if _, _, brk := news.VerifyChain(all, "", false); brk != nil {
		t.Errorf("chain after appeals breaks at %d: %s", brk.ID, brk.Reason)
	}
}
