package news

import (
	"context"
	"time"
)

// Cursor is a position in the newest-first list of visible articles:
// the (PublishedAt, ID) of the last article a client has seen. Keyset
// paging on it is stable when articles are published meanwhile.
type Cursor struct {
	PublishedAt time.Time
	ID          int64
}

// CursorQuery selects visible articles after a cursor, newest first.
type CursorQuery struct {
	SectionIDs   []int64
	Tag          string
	AuthorID     int64
	Since, Until time.Time // bound PublishedAt (inclusive/exclusive)
	After        *Cursor   // nil: from the newest
	Now          time.Time // visibility clock; zero: time.Now()
	Limit        int
}

// ContentStore serves the public Content API.
type ContentStore interface {
	// ListVisibleAfter lists at most q.Limit visible articles strictly
	// after q.After in (published_at DESC, id DESC) order, with authors
	// and tags but without bodies.
	ListVisibleAfter(ctx context.Context, q CursorQuery) ([]Article, error)
}
