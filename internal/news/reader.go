package news

import (
	"context"
	"strings"
	"time"
)

// Reader is someone who signed in with a social account to comment.
// Readers are not staff: they have their own table, sessions and cookie.
type Reader struct {
	ID int64
	// Provider and Subject identify the account at the provider ("x",
	// "12345"); together they are unique.
	Provider  string
	Subject   string
	Name      string
	Email     string // only when the provider shares it; never shown
	AvatarURL string
	CreatedAt time.Time
	// BannedUntil: the reader may not comment before then (zero: not
	// banned). Shadow: their comments are seen only by themselves.
	BannedUntil time.Time
	Shadow      bool
	ShadowUntil time.Time
	BanClause   string
	// NoticeEmail is where notices of decisions go: the provider's
	// verified e-mail, or an address the reader typed and confirmed; ""
	// for none. NoticeOff: the reader unsubscribed (a provider's address
	// is then not taken again). Lang is their language for notices.
	NoticeEmail string
	NoticeOff   bool
	Lang        string
}

// Banned reports whether the reader may not comment at now.
func (r Reader) Banned(now time.Time) bool {
	return !r.BannedUntil.IsZero() && r.BannedUntil.After(now)
}

// ShadowBanned reports whether the reader's new comments are hidden from
// everyone else at now.
func (r Reader) ShadowBanned(now time.Time) bool {
	return r.Shadow && (r.ShadowUntil.IsZero() || r.ShadowUntil.After(now))
}

// LoginState is a sign-in in progress: the OAuth state, the PKCE
// verifier and OIDC nonce, and where to go afterwards. It is used once.
type LoginState struct {
	State     string
	Provider  string
	Verifier  string
	Nonce     string
	ReturnTo  string
	ExpiresAt time.Time
	// Pending identity (dev provider: the name form comes after the
	// callback).
	Subject string
	Name    string
}

// ReaderStore keeps readers, their sessions and sign-ins in progress.
type ReaderStore interface {
	// UpsertReader finds the reader by (Provider, Subject) or creates it;
	// the name, e-mail and avatar are refreshed. It sets r.ID and the ban
	// fields from the stored row.
	UpsertReader(ctx context.Context, r *Reader) error
	ReaderByID(ctx context.Context, id int64) (Reader, error)
	ListReaders(ctx context.Context, limit, offset int) ([]Reader, error)
	// BanReader sets or clears (zero until, shadow false) a ban.
	BanReader(ctx context.Context, id int64, until time.Time, shadow bool, shadowUntil time.Time, clause string) error
	// DeleteReader deletes the reader, their sessions and comments:
	// comments with replies stay as "deleted" stubs without text or name.
	DeleteReader(ctx context.Context, id int64) error

	CreateReaderSession(ctx context.Context, tokenHash string, readerID int64, expires time.Time) error
	// ReaderBySession returns the reader of a live session.
	ReaderBySession(ctx context.Context, tokenHash string, now time.Time) (Reader, error)
	DeleteReaderSession(ctx context.Context, tokenHash string) error

	SaveLoginState(ctx context.Context, s LoginState) error
	// TakeLoginState returns and deletes a live state: a second call with
	// the same state is a not-found error (replays fail).
	TakeLoginState(ctx context.Context, state string, now time.Time) (LoginState, error)
}

// Validate requires the sign-in account and a display name.
func (r *Reader) Validate() error {
	if r.Provider == "" || r.Subject == "" {
		return Invalid("subject", "a reader needs a provider and an account id")
	}
	if strings.TrimSpace(r.Name) == "" {
		return Invalid("name", "a reader needs a display name")
	}
	if r.Lang != "" && r.Lang != "en" && r.Lang != "ko" {
		return Invalid("lang", "a reader's language is en or ko")
	}
	if r.NoticeEmail != "" {
		if _, err := ParseNoticeAddress(r.NoticeEmail); err != nil {
			return err
		}
	}
	return nil
}
