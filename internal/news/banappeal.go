package news

import "context"

// BanStore finds the decision behind a reader's ban, so that the reader
// can read its statement of reasons and appeal it like a decision on a
// comment (the same appeals, the same six months, a second moderator).
type BanStore interface {
	// ReaderBanDecision is the latest ban, shadow ban or unban of the
	// reader in the moderation log (KindNotFound when there is none).
	ReaderBanDecision(ctx context.Context, readerID int64) (ModerationEntry, error)
}
