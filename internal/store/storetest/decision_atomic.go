package storetest

import (
	"testing"
	"time"

	"byline/internal/news"
)

func init() { register("DecisionsAreAtomic", testDecisionsAtomic) }

// testDecisionsAtomic: a moderation decision and what it changes (a
// comment's status and counts, a held comment, a reader's ban) commit
// together or not at all. A log write that fails inside the transaction
// (a decision id already used: the log's unique key refuses it after the
// change was made) leaves the change undone; a change that fails (no
// such comment or reader) leaves no decision.
func testDecisionsAtomic(t *testing.T, s news.Store) {
	f := Seed(t, s)
	a := Publish(t, s, f.Politics, "Assembly votes", "Text.", time.Hour, nil, f.Kim)
	r := news.Reader{Provider: "x", Subject: "1", Name: "Min-ji"}
	must(t, s.UpsertReader(ctx, &r))
	c := news.Comment{ArticleID: a.ID, ReaderID: r.ID, AuthorName: r.Name, Body: "A comment.", Status: news.CommentApproved}
	must(t, s.CreateComment(ctx, &c))
	must(t, s.AddModerationEntry(ctx, decision("remove", "desk@example.com", 999, "2", "used")))

	logLen := func() int {
		t.Helper()
		l, err := s.ModerationChain(ctx, 0, 1000)
		must(t, err)
		return len(l)
	}
	state := func() (news.CommentStatus, int) {
		t.Helper()
		got, err := s.CommentByID(ctx, c.ID)
		must(t, err)
		art, err := s.ArticleByID(ctx, a.ID)
		must(t, err)
		return got.Status, art.CommentCount
	}

	// The log write fails: the status and the count stay as they were.
	err := s.DecideComment(ctx, c.ID, news.CommentRemoved, "2", decision("remove", "desk@example.com", 0, "2", "used"))
	if err == nil {
		t.Fatal("DecideComment stored a decision whose id was already used")
	}
	if st, n := state(); st != news.CommentApproved || n != 1 {
		t.Errorf("after a failed log write: status %s, count %d; want approved, 1 (rolled back)", st, n)
	}
	if n := logLen(); n != 1 {
		t.Errorf("after a failed log write: %d log entries, want 1", n)
	}

	// A decision without its statement of reasons changes nothing.
	err = s.DecideComment(ctx, c.ID, news.CommentRemoved, "2", decision("remove", "desk@example.com", 0, "", "no-clause"))
	wantKind(t, err, news.KindInvalid)
	if st, _ := state(); st != news.CommentApproved {
		t.Errorf("after a refused decision: status %s, want approved", st)
	}

	// The change fails (no such comment): no decision is logged.
	err = s.DecideComment(ctx, 987654, news.CommentRemoved, "2", decision("remove", "desk@example.com", 0, "2", "ghost"))
	wantKind(t, err, news.KindNotFound)
	if _, err := s.DecisionByID(ctx, "ghost"); news.KindOf(err) != news.KindNotFound {
		t.Errorf("a decision on a missing comment was logged: %v", err)
	}

	// Both succeed together.
	e := decision("remove", "desk@example.com", 0, "2", "d-remove")
	must(t, s.DecideComment(ctx, c.ID, news.CommentRemoved, "2", e))
	if st, n := state(); st != news.CommentRemoved || n != 0 {
		t.Errorf("after the decision: status %s, count %d; want removed, 0", st, n)
	}
	d, err := s.DecisionByID(ctx, "d-remove")
	must(t, err)
	if d.CommentID != c.ID || d.Action != "remove" || d.Hash == "" {
		t.Errorf("logged decision = %+v, want comment %d, remove, hashed", d, c.ID)
	}

	// A held comment and the decision holding it.
	before, err := s.ExportComments(ctx, a.ID)
	must(t, err)
	held := news.Comment{ArticleID: a.ID, ReaderID: r.ID, AuthorName: r.Name, Body: "Held.", Status: news.CommentPending}
	if err := s.CreateCommentDecision(ctx, &held, decision("hold", "system", 0, "7", "used")); err == nil {
		t.Fatal("CreateCommentDecision stored a decision whose id was already used")
	}
	after, err := s.ExportComments(ctx, a.ID)
	must(t, err)
	if len(after) != len(before) {
		t.Errorf("a failed log write left the held comment: %d comments, want %d", len(after), len(before))
	}
	held = news.Comment{ArticleID: a.ID, ReaderID: r.ID, AuthorName: r.Name, Body: "Held.", Status: news.CommentPending}
	must(t, s.CreateCommentDecision(ctx, &held, decision("hold", "system", 0, "7", "d-hold")))
	d, err = s.DecisionByID(ctx, "d-hold")
	must(t, err)
	if held.ID == 0 || d.CommentID != held.ID {
		t.Errorf("hold decision names comment %d, want the new comment %d", d.CommentID, held.ID)
	}

	// A ban and its decision.
	until := time.Now().Add(24 * time.Hour).UTC().Truncate(time.Millisecond)
	if err := s.DecideBan(ctx, r.ID, until, false, time.Time{}, "2", decision("ban", "desk@example.com", 0, "2", "used")); err == nil {
		t.Fatal("DecideBan stored a decision whose id was already used")
	}
	got, err := s.ReaderByID(ctx, r.ID)
	must(t, err)
	if !got.BannedUntil.IsZero() {
		t.Errorf("after a failed log write the reader is banned until %v (want no ban)", got.BannedUntil)
	}
	err = s.DecideBan(ctx, 987654, until, false, time.Time{}, "2", decision("ban", "desk@example.com", 0, "2", "ghost-ban"))
	wantKind(t, err, news.KindNotFound)
	if _, err := s.DecisionByID(ctx, "ghost-ban"); news.KindOf(err) != news.KindNotFound {
		t.Errorf("a ban of a missing reader was logged: %v", err)
	}
	must(t, s.DecideBan(ctx, r.ID, until, false, time.Time{}, "2", decision("ban", "desk@example.com", 0, "2", "d-ban")))
	got, err = s.ReaderByID(ctx, r.ID)
	must(t, err)
	d, err = s.DecisionByID(ctx, "d-ban")
	must(t, err)
	if !got.BannedUntil.Equal(until) || got.BanClause != "2" || d.ReaderID != r.ID {
		t.Errorf("ban = %v clause %q, decision reader %d; want %v, 2, %d", got.BannedUntil, got.BanClause, d.ReaderID, until, r.ID)
	}
	if n := logLen(); n != 4 {
		t.Errorf("%d log entries, want 4 (the first, remove, hold, ban)", n)
	}
}
