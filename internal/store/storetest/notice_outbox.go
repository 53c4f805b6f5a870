package storetest

import (
	"errors"
	"testing"
	"time"

	"byline/internal/news"
)

func init() { register("NoticeInDecisionTx", testNoticeInDecisionTx) }

// testNoticeInDecisionTx: a decision's notice (ModerationEntry.Notice)
// is stored in the outbox in the decision's own transaction, on every
// path that makes a decision (a comment's status, a held new comment, a
// ban, an appeal's outcome): after each, the decision and its notice are
// both there, the notice naming the decision and made from the entry as
// stored (its comment id known). A notice that cannot be stored (its
// Message-ID already used: the outbox's unique key refuses it) or not
// made undoes the decision: no status change, no log entry, no comment,
// no ban, the appeal still open.
func testNoticeInDecisionTx(t *testing.T, s news.Store) {
	f := Seed(t, s)
	a := Publish(t, s, f.Politics, "Council debates the budget", "Text.", time.Hour, nil, f.Kim)
	r := news.Reader{Provider: "x", Subject: "notice-tx", Name: "Told Reader"}
	must(t, s.UpsertReader(ctx, &r))
	c := news.Comment{ArticleID: a.ID, ReaderID: r.ID, AuthorName: r.Name, Body: "A comment.", Status: news.CommentApproved}
	must(t, s.CreateComment(ctx, &c))
	taken := outboxMail(r.ID, "taken", time.Now())
	must(t, s.EnqueueMail(ctx, taken))

	// notice makes the message of e; id "taken" reuses a stored Message-ID.
	var seen []news.ModerationEntry
	notice := func(id string) func(news.ModerationEntry) (*news.OutboxMail, error) {
		return func(e news.ModerationEntry) (*news.OutboxMail, error) {
			seen = append(seen, e)
			m := outboxMail(r.ID, id, time.Now())
			m.Ref = ""
			return m, nil
		}
	}
	failing := func(news.ModerationEntry) (*news.OutboxMail, error) { return nil, errors.New("cannot compose") }
	outbox := func() map[string]news.OutboxMail {
		t.Helper()
		l, err := s.ListMail(ctx, 0, 1000)
		must(t, err)
		out := map[string]news.OutboxMail{}
		for _, m := range l {
			out[m.Ref] = m
		}
		return out
	}
	logged := func(id string) bool {
		t.Helper()
		_, err := s.DecisionByID(ctx, id)
		if err != nil && !news.IsNotFound(err) {
			t.Fatal(err)
		}
		return err == nil
	}
	status := func(id int64) news.CommentStatus {
		t.Helper()
		got, err := s.CommentByID(ctx, id)
		must(t, err)
		return got.Status
	}
	// wantTold: decision id is logged and its notice is in the outbox,
	// pending, naming it.
	wantTold := func(id, msg string) {
		t.Helper()
		if !logged(id) {
			t.Errorf("decision %s is not in the log", id)
		}
		m, ok := outbox()[id]
		if !ok || m.MessageID != "<"+msg+"@byline.test>" || m.Status != news.MailPending || m.Kind != "notice" {
			t.Errorf("outbox row of decision %s = %+v (found %v), want the pending notice <%s@byline.test>", id, m, ok, msg)
		}
	}
	// wantUntold: decision id is not logged and no notice names it.
	wantUntold := func(id string) {
		t.Helper()
		if logged(id) {
			t.Errorf("decision %s was logged although its notice was not stored", id)
		}
		if m, ok := outbox()[id]; ok {
			t.Errorf("a notice of the undone decision %s is in the outbox: %+v", id, m)
		}
	}
	with := func(e *news.ModerationEntry, fn func(news.ModerationEntry) (*news.OutboxMail, error)) *news.ModerationEntry {
		e.ReaderID, e.Notice = r.ID, fn
		return e
	}
	before := len(outbox())

	// A comment's removal.
	err := s.DecideComment(ctx, c.ID, news.CommentRemoved, "2", with(decision("remove", "desk@example.com", 0, "2", "rm-dup"), notice("taken")))
	if err == nil {
		t.Fatal("DecideComment stored a decision whose notice reused a Message-ID")
	}
	wantUntold("rm-dup")
	err = s.DecideComment(ctx, c.ID, news.CommentRemoved, "2", with(decision("remove", "desk@example.com", 0, "2", "rm-fail"), failing))
	if err == nil {
		t.Fatal("DecideComment stored a decision whose notice could not be made")
	}
	wantUntold("rm-fail")
	if st := status(c.ID); st != news.CommentApproved {
		t.Errorf("after the failed notices the comment is %s, want approved (rolled back)", st)
	}
	if n := len(outbox()); n != before {
		t.Errorf("after the failed notices: %d messages, want %d", n, before)
	}
	must(t, s.DecideComment(ctx, c.ID, news.CommentRemoved, "2", with(decision("remove", "desk@example.com", 0, "2", "rm-1"), notice("n-rm"))))
	wantTold("rm-1", "n-rm")
	if st := status(c.ID); st != news.CommentRemoved {
		t.Errorf("after the decision the comment is %s, want removed", st)
	}

	// A new comment held, with its notice.
	comments := func() int {
		t.Helper()
		l, err := s.ExportComments(ctx, a.ID)
		must(t, err)
		return len(l)
	}
	n0 := comments()
	held := news.Comment{ArticleID: a.ID, ReaderID: r.ID, AuthorName: r.Name, Body: "Held.", Status: news.CommentPending}
	if err := s.CreateCommentDecision(ctx, &held, with(decision("hold", "system", 0, "7", "hold-dup"), notice("taken"))); err == nil {
		t.Fatal("CreateCommentDecision stored a hold whose notice reused a Message-ID")
	}
	wantUntold("hold-dup")
	if n := comments(); n != n0 {
		t.Errorf("a hold whose notice failed left its comment: %d comments, want %d", n, n0)
	}
	held = news.Comment{ArticleID: a.ID, ReaderID: r.ID, AuthorName: r.Name, Body: "Held.", Status: news.CommentPending}
	seen = nil
	must(t, s.CreateCommentDecision(ctx, &held, with(decision("hold", "system", 0, "7", "hold-1"), notice("n-hold"))))
	wantTold("hold-1", "n-hold")
	if len(seen) != 1 || seen[0].CommentID != held.ID || held.ID == 0 || seen[0].ID == 0 {
		t.Errorf("the hold's notice was made from %+v, want the entry with its id and the new comment %d", seen, held.ID)
	}

	// A ban.
	until := time.Now().Add(24 * time.Hour).UTC().Truncate(time.Millisecond)
	if err := s.DecideBan(ctx, r.ID, until, false, time.Time{}, "2", with(decision("ban", "desk@example.com", 0, "2", "ban-dup"), notice("taken"))); err == nil {
		t.Fatal("DecideBan stored a ban whose notice reused a Message-ID")
	}
	wantUntold("ban-dup")
	if got, err := s.ReaderByID(ctx, r.ID); err != nil || !got.BannedUntil.IsZero() {
		t.Errorf("a ban whose notice failed stands: until %v (%v), want no ban", got.BannedUntil, err)
	}
	must(t, s.DecideBan(ctx, r.ID, until, false, time.Time{}, "2", with(decision("ban", "desk@example.com", 0, "2", "ban-1"), notice("n-ban"))))
	wantTold("ban-1", "n-ban")

	// An appeal's outcome.
	ap := news.Appeal{DecisionID: "rm-1", CommentID: c.ID, ReaderID: r.ID, Reason: "I quoted the article.", CreatedAt: time.Now()}
	must(t, s.CreateAppeal(ctx, &ap, &news.ModerationEntry{Actor: "reader", Action: "appeal", CommentID: c.ID, ReaderID: r.ID, Clause: "2", Note: "appealed", Ref: "rm-1"}))
	outcome := func(id string, fn func(news.ModerationEntry) (*news.OutboxMail, error)) *news.ModerationEntry {
		e := with(decision("reverse", "second@example.com", c.ID, "2", id), fn)
		e.Ref = "rm-1"
		return e
	}
	if err := s.DecideAppeal(ctx, ap.ID, news.AppealReversed, "second@example.com", "A quotation.", outcome("rev-dup", notice("taken"))); err == nil {
		t.Fatal("DecideAppeal stored an outcome whose notice reused a Message-ID")
	}
	wantUntold("rev-dup")
	if got, err := s.AppealByID(ctx, ap.ID); err != nil || got.Status != news.AppealOpen {
		t.Errorf("appeal after a failed notice = %s (%v), want open", got.Status, err)
	}
	if st := status(c.ID); st != news.CommentRemoved {
		t.Errorf("a reversal whose notice failed restored the comment (%s)", st)
	}
	must(t, s.DecideAppeal(ctx, ap.ID, news.AppealReversed, "second@example.com", "A quotation.", outcome("rev-1", notice("n-rev"))))
	wantTold("rev-1", "n-rev")
	if st := status(c.ID); st != news.CommentApproved {
		t.Errorf("after the reversal the comment is %s, want approved", st)
	}

	// A notice func with nothing to send: the decision alone.
	nothing := func(news.ModerationEntry) (*news.OutboxMail, error) { return nil, nil }
	must(t, s.DecideComment(ctx, c.ID, news.CommentRemoved, "2", with(decision("remove", "desk@example.com", 0, "2", "rm-2"), nothing)))
	if !logged("rm-2") {
		t.Error("a decision with no notice to send was not logged")
	}
	if n := len(outbox()); n != before+4 {
		t.Errorf("%d messages in the outbox, want %d (the first and four notices)", n, before+4)
	}
}

func init() { register("MailInterruptedSend", testMailInterruptedSend) }

// testMailInterruptedSend: StartMail marks a leased message 'sending'
// only while the lease runs (after it, another worker may have the row:
// KindConflict); a row left 'sending' is not claimed while its lease
// runs and is claimed again, still 'sending', once it is over or
// released, with its count of interruptions kept by StartMail and
// FinishMail; a sent row is never claimed again.
func testMailInterruptedSend(t *testing.T, s news.Store) {
	r := news.Reader{Provider: "x", Subject: "mail-int", Name: "Interrupted Reader"}
	must(t, s.UpsertReader(ctx, &r))
	base := time.Now().UTC().Truncate(time.Millisecond)
	must(t, s.EnqueueMail(ctx, outboxMail(r.ID, "int", base)))
	claim := func(at time.Time) []news.OutboxMail {
		t.Helper()
		got, err := s.ClaimMail(ctx, at, time.Minute, 10)
		must(t, err)
		return got
	}
	got := claim(base)
	if len(got) != 1 || got[0].Status != news.MailPending || got[0].Interrupts != 0 {
		t.Fatalf("first claim = %+v, want the pending message", got)
	}
	m := got[0]
	m.Attempts = 1
	// The lease is over: not marked, not to be sent.
	late := m
	wantKind(t, s.StartMail(ctx, &late, base.Add(2*time.Minute)), news.KindConflict)
	must(t, s.StartMail(ctx, &m, base.Add(time.Second)))
	if m.Status != news.MailSending {
		t.Errorf("after StartMail the message is %q, want sending", m.Status)
	}
	// The worker dies here. While the lease runs, no one else takes it.
	if again := claim(base.Add(30 * time.Second)); len(again) != 0 {
		t.Errorf("a message being sent under a running lease was claimed: %+v", again)
	}
	got = claim(base.Add(2 * time.Minute))
	if len(got) != 1 || got[0].Status != news.MailSending || got[0].MessageID != m.MessageID {
		t.Fatalf("claim after the lease = %+v, want the message, still sending", got)
	}
	if got[0].Attempts != 1 {
		t.Errorf("the interrupted send's attempt was not kept: %d attempts, want 1", got[0].Attempts)
	}
	m = got[0]
	m.Interrupts, m.Attempts = 1, 2
	must(t, s.StartMail(ctx, &m, base.Add(2*time.Minute+time.Second)))
	// Stopped mid-send: left sending, the lease released by FinishMail.
	must(t, s.FinishMail(ctx, &m))
	got = claim(base.Add(2*time.Minute + 2*time.Second))
	if len(got) != 1 || got[0].Status != news.MailSending || got[0].Interrupts != 1 || got[0].Attempts != 2 {
		t.Fatalf("claim after a released send = %+v, want it sending, 1 interruption, 2 attempts", got)
	}
	m = got[0]
	m.Interrupts, m.Status, m.LastError = 2, news.MailFailed, "interrupted twice"
	must(t, s.FinishMail(ctx, &m))
	if again := claim(base.Add(time.Hour)); len(again) != 0 {
		t.Errorf("a failed message was claimed: %+v", again)
	}
	list, err := s.ListMail(ctx, r.ID, 10)
	must(t, err)
	if len(list) != 1 || list[0].Status != news.MailFailed || list[0].Interrupts != 2 {
		t.Errorf("outbox = %+v, want the message failed after 2 interruptions", list)
	}
}
