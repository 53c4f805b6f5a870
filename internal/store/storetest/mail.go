package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"byline/internal/news"
)

func init() {
	register("MailOutbox", testMailOutbox)
	register("MailClaimConcurrent", testMailClaimConcurrent)
	register("ReaderNoticeEmail", testReaderNoticeEmail)
}

func outboxMail(readerID int64, id string, due time.Time) *news.OutboxMail {
	return &news.OutboxMail{ReaderID: readerID, Kind: "notice", Ref: "d-" + id, Recipient: "reader@example.com",
		MessageID: "<" + id + "@byline.test>", Message: []byte("Subject: x\r\n\r\nhello\r\n"), NextAttemptAt: due}
}

// testMailOutbox: messages are claimed oldest due first, never before
// they are due nor while leased; a finished attempt ends the lease; a
// Message-ID is queued once; bad messages are refused; deleting the
// reader deletes their mail; pruning keeps what is pending.
func testMailOutbox(t *testing.T, s news.Store) {
	r := news.Reader{Provider: "x", Subject: "mail-1", Name: "Mail Reader"}
	must(t, s.UpsertReader(ctx, &r))
	base := time.Now().UTC().Truncate(time.Millisecond)
	for i, at := range []time.Duration{3, 1, 2, 9} {
		must(t, s.EnqueueMail(ctx, outboxMail(r.ID, fmt.Sprint("m", i), base.Add(at*time.Second))))
	}
	wantKind(t, s.EnqueueMail(ctx, outboxMail(r.ID, "m0", base)), news.KindConflict)
	for name, m := range map[string]*news.OutboxMail{
		"no kind":        {Recipient: "a@example.com", MessageID: "<a@x>", Message: []byte("x")},
		"bad recipient":  {Kind: "notice", Recipient: "a@example.com\r\nBcc: b@example.com", MessageID: "<b@x>", Message: []byte("x")},
		"two recipients": {Kind: "notice", Recipient: "a@example.com, b@example.com", MessageID: "<c@x>", Message: []byte("x")},
		"no message":     {Kind: "notice", Recipient: "a@example.com", MessageID: "<d@x>"},
	} {
		wantKind(t, s.EnqueueMail(ctx, m), news.KindInvalid)
		_ = name
	}
	got, err := s.ClaimMail(ctx, base.Add(5*time.Second), time.Minute, 2)
	must(t, err)
	if len(got) != 2 || got[0].MessageID != "<m1@byline.test>" || got[1].MessageID != "<m2@byline.test>" {
		t.Fatalf("claimed %+v, want m1 then m2 (oldest due first)", got)
	}
	if string(got[0].Message) != "Subject: x\r\n\r\nhello\r\n" || got[0].Recipient != "reader@example.com" || got[0].ReaderID != r.ID || got[0].Ref != "d-m1" {
		t.Errorf("claimed message = %+v, want it as queued", got[0])
	}
	// Leased: not claimed again until the lease ends.
	again, err := s.ClaimMail(ctx, base.Add(5*time.Second), time.Minute, 10)
	must(t, err)
	if len(again) != 1 || again[0].MessageID != "<m0@byline.test>" {
		t.Errorf("second claim = %+v, want only m0 (m1, m2 leased; m3 not due)", again)
	}
	late, err := s.ClaimMail(ctx, base.Add(2*time.Minute), time.Minute, 10)
	must(t, err)
	if len(late) != 4 {
		t.Errorf("after the leases ran out %d claimed, want 4", len(late))
	}
	// One sent, one retried later, one failed.
	sent := got[0]
	sent.Status, sent.Attempts, sent.SentAt = news.MailSent, 1, base.Add(6*time.Second)
	must(t, s.FinishMail(ctx, &sent))
	retry := got[1]
	retry.Status, retry.Attempts, retry.LastError, retry.NextAttemptAt = news.MailPending, 1, "dial tcp: connection refused", base.Add(time.Hour)
	must(t, s.FinishMail(ctx, &retry))
	list, err := s.ListMail(ctx, r.ID, 10)
	must(t, err)
	byID := map[string]news.OutboxMail{}
	for _, m := range list {
		byID[m.MessageID] = m
	}
	if m := byID[sent.MessageID]; m.Status != news.MailSent || m.Attempts != 1 || !m.SentAt.Equal(sent.SentAt) {
		t.Errorf("sent message = %+v, want sent once at %v", m, sent.SentAt)
	}
	if m := byID[retry.MessageID]; m.Status != news.MailPending || m.LastError == "" || !m.NextAttemptAt.Equal(base.Add(time.Hour)) {
		t.Errorf("retried message = %+v, want pending until %v with its error", m, base.Add(time.Hour))
	}
	// A finished attempt released the lease: due again at its time.
	due, err := s.ClaimMail(ctx, base.Add(time.Hour), time.Minute, 10)
	must(t, err)
	found := false
	for _, m := range due {
		found = found || m.ID == retry.ID
		if m.ID == sent.ID {
			t.Error("a sent message was claimed again")
		}
	}
	if !found {
		t.Error("the retried message was not claimed when due")
	}
	n, err := s.PruneMail(ctx, base.Add(time.Hour))
	must(t, err)
	if n != 1 {
		t.Errorf("pruned %d, want 1 (only the sent one)", n)
	}
	// Deleting the reader deletes their mail.
	must(t, s.DeleteReader(ctx, r.ID))
	if left, err := s.ListMail(ctx, 0, 100); err != nil || len(left) != 0 {
		t.Errorf("after the reader was deleted: %d messages (%v), want none", len(left), err)
	}
}

// testMailClaimConcurrent: workers claiming at once never take the same
// message twice.
func testMailClaimConcurrent(t *testing.T, s news.Store) {
	now := time.Now().UTC().Truncate(time.Millisecond)
	const total = 30
	for i := range total {
		must(t, s.EnqueueMail(ctx, outboxMail(0, fmt.Sprint("c", i), now)))
	}
	var (
		mu   sync.Mutex
		seen = map[int64]int{}
		wg   sync.WaitGroup
		errs = make(chan error, 4)
	)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				got, err := s.ClaimMail(ctx, now, time.Hour, 3)
				if err != nil {
					errs <- err
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, m := range got {
					seen[m.ID]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if len(seen) != total {
		t.Errorf("%d messages claimed, want %d", len(seen), total)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("message %d claimed %d times", id, n)
		}
	}
}

// testReaderNoticeEmail: a provider's verified address becomes the
// notice address at the first sign-in and is kept (not replaced) after;
// once the reader unsubscribes, sign-in does not bring it back; the
// language and the link key are kept.
func testReaderNoticeEmail(t *testing.T, s news.Store) {
	r := news.Reader{Provider: "oidc", Subject: "n-1", Name: "Noticed", NoticeEmail: "first@example.com", Lang: "ko"}
	must(t, s.UpsertReader(ctx, &r))
	if r.NoticeEmail != "first@example.com" || r.Lang != "ko" || r.NoticeOff {
		t.Fatalf("new reader = %+v, want first@example.com, ko", r)
	}
	again := news.Reader{Provider: "oidc", Subject: "n-1", Name: "Noticed", NoticeEmail: "second@example.com"}
	must(t, s.UpsertReader(ctx, &again))
	if again.NoticeEmail != "first@example.com" || again.Lang != "ko" {
		t.Errorf("after a second sign-in = %q %q, want first@example.com, ko kept", again.NoticeEmail, again.Lang)
	}
	must(t, s.SetNoticeEmail(ctx, r.ID, "", true))
	again = news.Reader{Provider: "oidc", Subject: "n-1", Name: "Noticed", NoticeEmail: "first@example.com", Lang: "en"}
	must(t, s.UpsertReader(ctx, &again))
	if again.NoticeEmail != "" || !again.NoticeOff || again.Lang != "en" {
		t.Errorf("after unsubscribing and signing in = %q off=%v %q, want none, off, en", again.NoticeEmail, again.NoticeOff, again.Lang)
	}
	must(t, s.SetNoticeEmail(ctx, r.ID, "typed@example.com", false))
	got, err := s.ReaderByID(ctx, r.ID)
	must(t, err)
	if got.NoticeEmail != "typed@example.com" || got.NoticeOff {
		t.Errorf("after confirming a typed address = %q off=%v", got.NoticeEmail, got.NoticeOff)
	}
	wantKind(t, s.SetNoticeEmail(ctx, r.ID, "a@example.com\nBcc: x@example.com", false), news.KindInvalid)
	wantKind(t, s.SetNoticeEmail(ctx, 999999, "a@example.com", false), news.KindNotFound)
	wantKind(t, s.SetReaderLang(ctx, r.ID, "fr"), news.KindInvalid)
	must(t, s.SetReaderLang(ctx, r.ID, "ko"))
	wantKind(t, s.UpsertReader(ctx, &news.Reader{Provider: "oidc", Subject: "n-2", Name: "Bad", NoticeEmail: "not an address"}), news.KindInvalid)
	k1, err := s.NoticeKey(ctx, r.ID, "key-one")
	must(t, err)
	k2, err := s.NoticeKey(ctx, r.ID, "key-two")
	must(t, err)
	if k1 != "key-one" || k2 != "key-one" {
		t.Errorf("keys %q, %q: want the first one kept", k1, k2)
	}
	if _, err := s.NoticeKey(ctx, 999999, "k"); news.KindOf(err) != news.KindNotFound {
		t.Errorf("key of a missing reader: %v, want not found", err)
	}
}
