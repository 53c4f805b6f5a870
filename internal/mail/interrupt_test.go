package mail_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"byline/internal/mail"
	"byline/internal/mail/mailpit"
	"byline/internal/news"
)

// Interrupted sends against a real mail server (mailpit): SMTP has no
// idempotency, so a worker stopped or killed after the server took the
// message, but before it recorded so, sends it again — once, under the
// same Message-ID — and gives up at a second interruption.

// syncBuffer is a log sink the worker writes while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// cutProxy stands between the worker and the mail server: it passes the
// conversation through until the client sends cut (the end of the DATA,
// "\r\n.\r\n", or a command), then calls onCut (the test stops the
// worker there) before passing it on, and drops the server's replies
// from then on. Cut at the end of the DATA, the server has the whole
// message while the worker never hears it was taken.
func cutProxy(t *testing.T, server, cut string, onCut func()) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				s, err := net.Dial("tcp", server)
				if err != nil {
					return
				}
				defer s.Close()
				var cutting atomic.Bool
				go func() {
					buf := make([]byte, 4096)
					for {
						n, err := s.Read(buf)
						if n > 0 && !cutting.Load() {
							c.Write(buf[:n])
						}
						if err != nil {
							c.Close()
							return
						}
					}
				}()
				buf := make([]byte, 4096)
				var tail []byte
				for {
					n, err := c.Read(buf)
					if n > 0 {
						seen := append(tail, buf[:n]...)
						if !cutting.Load() && bytes.Contains(seen, []byte(cut)) {
							cutting.Store(true)
							onCut()
						}
						if _, err := s.Write(buf[:n]); err != nil {
							return
						}
						tail = append([]byte(nil), seen[max(0, len(seen)-len(cut)):]...)
					}
					if err != nil {
						// The worker hung up: the server still reads the
						// message to its end and keeps it.
						io.Copy(io.Discard, s)
						return
					}
				}
			}()
		}
	}()
	return l.Addr().String()
}

// waitCount polls mailpit until it holds n messages (or the deadline).
func waitCount(t *testing.T, mp *mailpit.Server, n int) []mailpit.Summary {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		got := mp.Messages(t)
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailpit holds %d messages, want %d: %v", len(got), n, got)
		}
		time.Sleep(20 * time.Millisecond) // polling the API, with a deadline
	}
}

func oneRow(t *testing.T, st news.MailStore) news.OutboxMail {
	t.Helper()
	list, err := st.ListMail(t.Context(), 0, 10)
	if err != nil || len(list) != 1 {
		t.Fatalf("outbox = %+v (%v), want one message", list, err)
	}
	return list[0]
}

// TestOutboxStoppedMidSend: the worker is stopped (its context
// cancelled) after the mail server took the whole message but before it
// answered. The row stays 'sending', its lease released; a restarted
// worker sends it at once, once more, logging it; mailpit holds two
// copies with the one Message-ID.
func TestOutboxStoppedMidSend(t *testing.T) {
	st := openStore(t)
	mp := mailpit.Start(t)
	runCtx, stop := context.WithCancel(t.Context())
	defer stop()
	proxy := cutProxy(t, mp.SMTP, "\r\n.\r\n", stop)
	from := "Byline <news@byline.example>"
	first, err := mail.New(mail.Options{Store: st, SMTP: mail.Config{Addr: proxy, From: from, Timeout: 10 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	id := first.MessageIDFor("notice-stopped")
	if err := first.Queue(t.Context(), mail.Item{Kind: "notice", Ref: "stopped", To: netmail.Address{Address: "stopped@example.com"},
		Subject: "Your comment was removed", Body: "Decision stopped.", MessageID: id}); err != nil {
		t.Fatal(err)
	}
	if n, _ := first.RunOnce(runCtx); n != 1 {
		t.Fatalf("RunOnce claimed %d, want 1", n)
	}
	if runCtx.Err() == nil {
		t.Fatal("the proxy never saw the end of the DATA (the worker was not stopped mid-send)")
	}
	waitCount(t, mp, 1)
	if m := oneRow(t, st); m.Status != news.MailSending || m.Attempts != 1 {
		t.Fatalf("after the stop: %+v, want it sending after 1 attempt", m)
	}

	var log syncBuffer
	second, _ := mail.New(mail.Options{Store: st, SMTP: mail.Config{Addr: mp.SMTP, From: from},
		Logger: slog.New(slog.NewTextHandler(&log, nil))})
	if n, err := second.RunOnce(t.Context()); n != 1 || err != nil {
		t.Fatalf("restarted RunOnce = %d, %v; want the interrupted message", n, err)
	}
	got := waitCount(t, mp, 2)
	for _, s := range got {
		if "<"+s.MessageID+">" != id {
			t.Errorf("received Message-ID %q, want %s on both copies", s.MessageID, id)
		}
	}
	if m := oneRow(t, st); m.Status != news.MailSent || m.Interrupts != 1 || m.Attempts != 2 {
		t.Errorf("after the restart: %+v, want sent, 1 interruption, 2 attempts", m)
	}
	if !strings.Contains(log.String(), "interrupted") || !strings.Contains(log.String(), "notice-stopped") {
		t.Errorf("the resend was not logged with its Message-ID: %q", log.String())
	}
	if n, _ := second.RunOnce(t.Context()); n != 0 {
		t.Errorf("a sent message was claimed again")
	}
}

// crashAfterSend is a worker's store that dies after the mail server
// took a message: the outcome is never recorded.
type crashAfterSend struct{ news.MailStore }

func (crashAfterSend) FinishMail(context.Context, *news.OutboxMail) error {
	return errors.New("the server died before recording the send")
}

// TestOutboxKilledMidSend: a worker killed after the server took the
// message (FinishMail never runs) keeps its lease; once the lease is
// over a restarted worker sends the message again, once, with the same
// Message-ID; killed again, the next worker gives up on it (failed, not
// sent a third time).
func TestOutboxKilledMidSend(t *testing.T) {
	st := openStore(t)
	mp := mailpit.Start(t)
	var now atomic.Int64
	now.Store(time.Now().UnixMilli())
	clock := func() time.Time { return time.UnixMilli(now.Load()) }
	cfg := mail.Config{Addr: mp.SMTP, From: "news@byline.example", Timeout: 5 * time.Second}
	var log syncBuffer
	worker := func(s news.MailStore) *mail.Outbox {
		b, err := mail.New(mail.Options{Store: s, SMTP: cfg, Now: clock, Lease: time.Minute, Logger: slog.New(slog.NewTextHandler(&log, nil))})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	first := worker(crashAfterSend{st})
	id := first.MessageIDFor("notice-killed")
	if err := first.Queue(t.Context(), mail.Item{Kind: "notice", To: netmail.Address{Address: "killed@example.com"}, Subject: "Removed", Body: "b", MessageID: id}); err != nil {
		t.Fatal(err)
	}
	if _, err := first.RunOnce(t.Context()); err == nil {
		t.Fatal("the crashing store's FinishMail did not fail")
	}
	waitCount(t, mp, 1)

	// Restarted while the dead worker's lease runs: not sent again yet.
	if n, _ := worker(st).RunOnce(t.Context()); n != 0 {
		t.Fatalf("the message was claimed during the dead worker's lease")
	}
	now.Add(int64(2 * time.Minute / time.Millisecond))
	if _, err := worker(crashAfterSend{st}).RunOnce(t.Context()); err == nil {
		t.Fatal("the second crashing worker recorded its send")
	}
	got := waitCount(t, mp, 2)
	for _, s := range got {
		if "<"+s.MessageID+">" != id {
			t.Errorf("received Message-ID %q, want %s on both copies", s.MessageID, id)
		}
	}
	now.Add(int64(2 * time.Minute / time.Millisecond))
	if n, err := worker(st).RunOnce(t.Context()); n != 1 || err != nil {
		t.Fatalf("third worker RunOnce = %d, %v; want the message judged", n, err)
	}
	if m := oneRow(t, st); m.Status != news.MailFailed || m.Interrupts != 2 || m.Attempts != 2 {
		t.Errorf("after a second interruption: %+v, want failed, 2 interruptions, 2 attempts (not sent again)", m)
	}
	if n := mp.Count(t); n != 2 {
		t.Errorf("mailpit holds %d messages, want 2 (sent once more, never a third time)", n)
	}
	if !strings.Contains(log.String(), "interrupted twice") {
		t.Errorf("giving up was not logged: %q", log.String())
	}
}

// TestOutboxStoppedBeforeData: a worker stopped before the DATA (here
// as it names the recipient) sent nothing: the message stays pending,
// due at once, no attempt and no interruption counted, and the next run
// sends it once.
func TestOutboxStoppedBeforeData(t *testing.T) {
	st := openStore(t)
	mp := mailpit.Start(t)
	runCtx, stop := context.WithCancel(t.Context())
	defer stop()
	proxy := cutProxy(t, mp.SMTP, "RCPT TO", stop)
	first, _ := mail.New(mail.Options{Store: st, SMTP: mail.Config{Addr: proxy, From: "news@byline.example", Timeout: 10 * time.Second}})
	if err := first.Queue(t.Context(), mail.Item{Kind: "notice", To: netmail.Address{Address: "early@example.com"}, Subject: "Held", Body: "b"}); err != nil {
		t.Fatal(err)
	}
	if n, _ := first.RunOnce(runCtx); n != 1 || runCtx.Err() == nil {
		t.Fatalf("RunOnce claimed %d (stopped: %v), want 1, stopped at RCPT", n, runCtx.Err())
	}
	if m := oneRow(t, st); m.Status != news.MailPending || m.Attempts != 0 || m.Interrupts != 0 {
		t.Fatalf("after a stop before the DATA: %+v, want pending, no attempt, no interruption", m)
	}
	second, _ := mail.New(mail.Options{Store: st, SMTP: mail.Config{Addr: mp.SMTP, From: "news@byline.example"}})
	if n, err := second.RunOnce(t.Context()); n != 1 || err != nil {
		t.Fatalf("next RunOnce = %d, %v; want the message at once", n, err)
	}
	waitCount(t, mp, 1)
	if m := oneRow(t, st); m.Status != news.MailSent || m.Interrupts != 0 || m.Attempts != 1 {
		t.Errorf("after the next run: %+v, want sent once, no interruption", m)
	}
	if n := mp.Count(t); n != 1 {
		t.Errorf("mailpit holds %d messages, want 1", n)
	}
}
