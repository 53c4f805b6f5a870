package mail

import (
	"context"
	"errors"
	"log/slog"
	"net/mail"
	"time"

	"byline/internal/lease"
	"byline/internal/news"
)

// DefaultBackoff is the wait before each retry; after the last one the
// message is marked failed (about two days of trying). The first is
// short, so that a notice held up by a brief outage still arrives within
// the minute.
var DefaultBackoff = []time.Duration{10 * time.Second, time.Minute, 5 * time.Minute, 10 * time.Minute, 30 * time.Minute, time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour}

// Options configure the outbox.
type Options struct {
	Store   news.MailStore
	SMTP    Config
	Now     func() time.Time
	Logger  *slog.Logger
	Backoff []time.Duration
	// Lease is how long a claimed message is reserved for one worker: at
	// least a whole submission (SMTP.Timeout) and a margin, so that no
	// other server takes it while it is being sent.
	Lease time.Duration
	// Poll is how often the worker looks for due messages when nothing
	// wakes it (other servers' messages, retries).
	Poll time.Duration
	// Keep is how long sent and failed messages stay (default 30 days).
	Keep time.Duration
}

// Outbox queues messages in the database and sends them.
type Outbox struct {
	o    Options
	from mail.Address
	loop *lease.Worker
}

// New builds the outbox; with mail not configured it queues nothing
// (Enabled is false) and Run returns at once.
func New(o Options) (*Outbox, error) {
	if err := o.SMTP.Validate(); err != nil {
		return nil, err
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Backoff == nil {
		o.Backoff = DefaultBackoff
	}
	if o.SMTP.Timeout <= 0 {
		o.SMTP.Timeout = 30 * time.Second
	}
	if o.Lease < o.SMTP.Timeout+30*time.Second {
		o.Lease = o.SMTP.Timeout + 30*time.Second
	}
	if o.Poll <= 0 {
		o.Poll = 15 * time.Second
	}
	if o.Keep <= 0 {
		o.Keep = 30 * 24 * time.Hour
	}
	b := &Outbox{o: o}
	b.loop = &lease.Worker{What: "mail", Poll: o.Poll, Now: o.Now, Logger: o.Logger, RunOnce: b.RunOnce,
		Prune: func(ctx context.Context, now time.Time) error {
			_, err := o.Store.PruneMail(ctx, now.Add(-o.Keep))
			return err
		}}
	if o.SMTP.Enabled() {
		b.from, _ = o.SMTP.Sender()
	}
	return b, nil
}

// Enabled reports whether mail is configured.
func (b *Outbox) Enabled() bool { return b != nil && b.o.SMTP.Enabled() }

// From is the sender's address.
func (b *Outbox) From() mail.Address { return b.from }

// Item is a message to queue.
type Item struct {
	ReaderID int64
	Kind     string // notice, confirm
	Ref      string // what it is about (a decision id)
	To       mail.Address
	Subject  string
	Body     string
	Headers  [][2]string
	// MessageID: a fixed id makes queueing idempotent (the same notice
	// is queued once); empty: a new one.
	MessageID string
}

// MessageIDFor is a fixed Message-ID for key at the sender's domain.
func (b *Outbox) MessageIDFor(key string) string {
	return "<" + key + "@" + Domain(b.from.Address) + ">"
}

// Queue composes the message and stores it for sending; the worker is
// woken. A message already queued under the same MessageID is not
// queued again (no error).
func (b *Outbox) Queue(ctx context.Context, it Item) error {
	om, err := b.Compose(it)
	if err != nil {
		return err
	}
	if err := b.o.Store.EnqueueMail(ctx, &om); err != nil {
		if news.KindOf(err) == news.KindConflict {
			return nil
		}
		return err
	}
	b.Wake()
	return nil
}

// Compose makes the outbox row of it without storing it (a decision's
// notice is stored in the decision's own transaction: see
// news.ModerationEntry.Notice); it touches no store.
func (b *Outbox) Compose(it Item) (news.OutboxMail, error) {
	if !b.Enabled() {
		return news.OutboxMail{}, errors.New("mail is not configured")
	}
	now := b.o.Now().UTC()
	m := Message{From: b.from, To: it.To, Subject: it.Subject, Body: it.Body, Date: now, MessageID: it.MessageID, Headers: it.Headers}
	if m.MessageID == "" {
		m.MessageID = NewMessageID(b.from.Address)
	}
	raw, err := m.Bytes()
	if err != nil {
		return news.OutboxMail{}, news.Invalid("email", "%v", err)
	}
	return news.OutboxMail{ReaderID: it.ReaderID, Kind: it.Kind, Ref: it.Ref, Recipient: it.To.Address, MessageID: m.MessageID,
		Message: raw, CreatedAt: now, NextAttemptAt: now}, nil
}

// Wake makes the worker look for due messages now.
func (b *Outbox) Wake() { b.loop.Wake() }

// Run sends until ctx ends: at start (messages left by a stopped server
// or an outage), when woken, when this server's earliest retry is due,
// and every Poll.
func (b *Outbox) Run(ctx context.Context) {
	if !b.Enabled() {
		return
	}
	b.loop.Run(ctx)
}

// RunOnce claims the due messages and sends them one after another (one
// connection at a time is kind to the mail server); it returns how many
// it claimed. Stopped (ctx done), it releases the ones it has not begun.
func (b *Outbox) RunOnce(ctx context.Context) (int, error) {
	due, err := b.o.Store.ClaimMail(ctx, b.o.Now().UTC(), b.o.Lease, 10)
	if err != nil {
		return 0, err
	}
	var errs []error
	for i := range due {
		m := &due[i]
		if ctx.Err() != nil {
			// Released as claimed, for the next run here or elsewhere.
			errs = append(errs, b.o.Store.FinishMail(context.WithoutCancel(ctx), m))
			continue
		}
		if !b.attempt(ctx, m) {
			continue
		}
		errs = append(errs, b.o.Store.FinishMail(context.WithoutCancel(ctx), m))
		if m.Status == news.MailPending {
			b.loop.Retry(m.NextAttemptAt)
		}
	}
	return len(due), errors.Join(errs...)
}

// interruptedTwice is the last error of a message given up on because
// its sending was interrupted a second time.
const interruptedTwice = "sending was interrupted twice (the mail server may have it); not sent again"

// attempt sends m once and sets its outcome for FinishMail; false: it
// was not sent (the lease is over) and there is nothing to record.
//
// SMTP has no idempotency. Just before the DATA command (once the server
// took the recipient) the row is marked 'sending' under the lease
// (StartMail); a worker that dies after that, before FinishMail, leaves
// it so, and the next claim once the lease is over finds it 'sending':
// the server may have the message. It is sent once more, logged, under
// the same Message-ID (mail clients show the two as one); interrupted a
// second time, it is given up on. A worker stopped (ctx done) after the
// DATA began leaves it 'sending' with the lease released, so the next
// run takes it at once; stopped before, it stays pending, due at once.
func (b *Outbox) attempt(ctx context.Context, m *news.OutboxMail) bool {
	if m.Status == news.MailSending {
		m.Interrupts++
		if m.Interrupts > 1 {
			m.Status, m.LastError = news.MailFailed, interruptedTwice
			b.o.Logger.WarnContext(ctx, "mail: sending interrupted twice, giving up (the mail server may have it)",
				"mail", m.ID, "kind", m.Kind, "message_id", m.MessageID)
			return true
		}
		b.o.Logger.WarnContext(ctx, "mail: a send was interrupted (the mail server may have it); sending once more under the same Message-ID",
			"mail", m.ID, "kind", m.Kind, "message_id", m.MessageID, "attempts", m.Attempts)
	}
	now := b.o.Now().UTC()
	m.Attempts++
	began := false
	err := SendWith(ctx, b.o.SMTP, b.from.Address, m.Recipient, m.Message, func() error {
		if err := b.o.Store.StartMail(ctx, m, b.o.Now().UTC()); err != nil {
			return errNotOurs{err}
		}
		began = true
		return nil
	})
	if err == nil {
		m.Status, m.SentAt, m.LastError = news.MailSent, b.o.Now().UTC(), ""
		return true
	}
	var lost errNotOurs
	if errors.As(err, &lost) {
		if ctx.Err() == nil {
			b.o.Logger.WarnContext(ctx, "mail: not sent", "mail", m.ID, "err", lost.err)
		}
		return false
	}
	m.LastError = err.Error()
	if ctx.Err() != nil {
		if began {
			// Stopped mid-send: the server may have the message. It
			// stays 'sending', its lease released by FinishMail.
			m.Status = news.MailSending
			b.o.Logger.WarnContext(context.WithoutCancel(ctx), "mail: stopped mid-send", "mail", m.ID, "message_id", m.MessageID)
		} else {
			// Stopped before the DATA: nothing was sent; due again at once.
			m.Status, m.Attempts = news.MailPending, m.Attempts-1
		}
		return true
	}
	if Permanent(err) || m.Attempts > len(b.o.Backoff) {
		m.Status = news.MailFailed
		b.o.Logger.WarnContext(ctx, "mail: giving up", "mail", m.ID, "kind", m.Kind, "attempts", m.Attempts, "err", m.LastError)
		return true
	}
	m.Status = news.MailPending
	m.NextAttemptAt = now.Add(b.o.Backoff[m.Attempts-1])
	b.o.Logger.InfoContext(ctx, "mail: will retry", "mail", m.ID, "at", m.NextAttemptAt, "err", m.LastError)
	return true
}

// errNotOurs: the lease ran out before the DATA (StartMail refused).
type errNotOurs struct{ err error }

func (e errNotOurs) Error() string { return e.err.Error() }
