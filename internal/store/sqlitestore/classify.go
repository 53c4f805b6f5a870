package sqlitestore

import (
	"errors"

	"byline/internal/news"

	"modernc.org/sqlite"
)

// SQLite's primary result codes for a full disk and for a database file
// that cannot be opened (its directory unmounted or removed).
const (
	sqliteFull      = 13 // SQLITE_FULL
	sqliteCantOpen  = 14 // SQLITE_CANTOPEN
	primaryCodeMask = 0xff
)

// Classify recognises SQLite's "database or disk is full" (and the
// file system's ENOSPC, through news.KindOf) and wraps it as
// news.StorageFull; a database file that can no longer be opened is
// news.Unavailable. Any other error comes back as it is. This is the one
// place that knows the driver's codes.
func (s *Store) Classify(err error) error { return classify(err) }

func classify(err error) error {
	if err == nil {
		return nil
	}
	switch news.KindOf(err) {
	case news.KindUnavailable:
		return err
	case news.KindStorageFull:
		var e *news.Error
		if errors.As(err, &e) {
			return err
		}
		return news.StorageFull(err)
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & primaryCodeMask {
		case sqliteFull:
			return news.StorageFull(err)
		case sqliteCantOpen:
			return news.Unavailable(err)
		}
	}
	return err
}
