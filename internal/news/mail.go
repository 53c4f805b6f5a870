package news

import (
	"context"
	"net/mail"
	"strings"
	"time"
)

// Mail states in the outbox.
const (
	MailPending = "pending"
	MailSent    = "sent"
	MailFailed  = "failed" // gave up after the last attempt
	// MailSending: the SMTP DATA of the message began under a lease; a
	// row found sending after its lease was interrupted mid-send and may
	// have been delivered.
	MailSending = "sending"
)

// OutboxMail is one message waiting in (or sent from) the outbox. The
// message is stored whole (headers and body, as sent), so that a retry,
// or another server, sends exactly the same bytes with the same
// Message-ID.
type OutboxMail struct {
	ID        int64
	ReaderID  int64  // 0: not a reader's (no cascade on deletion)
	Kind      string // "notice", "confirm"
	Ref       string // the decision id a notice is about
	Recipient string // the envelope's RCPT TO
	MessageID string
	Message   []byte
	Status    string
	Attempts  int
	// NextAttemptAt is when the message is due (again).
	NextAttemptAt time.Time
	LastError     string
	CreatedAt     time.Time
	SentAt        time.Time
	// Interrupts counts the sends of this message that were interrupted
	// mid-way (found 'sending' by a later claim): it is sent again after
	// the first, given up on at the second.
	Interrupts int
}

// Validate checks a message before it is queued.
func (m *OutboxMail) Validate() error {
	if m.Kind == "" {
		return Invalid("kind", "a message says what kind of message it is")
	}
	if _, err := ParseNoticeAddress(m.Recipient); err != nil {
		return err
	}
	if m.MessageID == "" || len(m.Message) == 0 {
		return Invalid("message", "a queued message has its Message-ID and content")
	}
	return nil
}

// ParseNoticeAddress checks an address a reader gives for notices: one
// plain address (no display name, no group, no line breaks), at most 254
// bytes; it returns it trimmed.
func ParseNoticeAddress(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", Invalid("email", "give an e-mail address")
	}
	if len(s) > 254 || strings.ContainsAny(s, "\r\n<>,;\" \t") {
		return "", Invalid("email", "give one e-mail address, such as name@example.com")
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return "", Invalid("email", "give one e-mail address, such as name@example.com")
	}
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 || !strings.Contains(s[at+1:], ".") && s[at+1:] != "localhost" {
		return "", Invalid("email", "give one e-mail address, such as name@example.com")
	}
	return s, nil
}

// MailStore keeps the outbox and each reader's notice address. Messages
// are claimed with a lease so that several servers share the outbox, a
// message is sent by one of them at a time, and a crashed worker's rows
// are picked up again when the lease ends.
type MailStore interface {
	// EnqueueMail stores a pending message due at m.NextAttemptAt (zero:
	// now) and sets m.ID; a second message with the same MessageID is a
	// KindConflict error (a notice is queued once).
	EnqueueMail(ctx context.Context, m *OutboxMail) error
	// ClaimMail atomically leases up to limit due pending messages, and
	// messages left 'sending' whose lease is over or released.
	ClaimMail(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]OutboxMail, error)
	// StartMail marks m sending (with m.Attempts, counting this one, and
	// m.Interrupts) before its SMTP DATA,
	// while the lease still runs at now (else KindConflict: do not send).
	StartMail(ctx context.Context, m *OutboxMail, now time.Time) error
	// FinishMail records an attempt: Status, Attempts, NextAttemptAt,
	// LastError and SentAt of m, and ends the lease.
	FinishMail(ctx context.Context, m *OutboxMail) error
	// ListMail lists the outbox, newest first (readerID 0: everyone's).
	ListMail(ctx context.Context, readerID int64, limit int) ([]OutboxMail, error)
	// PruneMail deletes sent and failed messages created before t.
	PruneMail(ctx context.Context, before time.Time) (int, error)

	// SetNoticeEmail sets the reader's notice address ("" with off true:
	// unsubscribed; the provider's verified address is then not taken
	// again at sign-in).
	SetNoticeEmail(ctx context.Context, readerID int64, addr string, off bool) error
	// SetReaderLang records the reader's language for notices (en, ko).
	SetReaderLang(ctx context.Context, readerID int64, lang string) error
	// NoticeKey returns the reader's key for signed links, making one
	// (key, when theirs is still empty) the first time.
	NoticeKey(ctx context.Context, readerID int64, key string) (string, error)
}
