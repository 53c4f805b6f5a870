package pgstore

import (
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"byline/internal/news"

	"github.com/jackc/pgx/v5/pgconn"
)

// Classify recognises PostgreSQL's ways of saying "not reachable just
// now" (refused or dropped connections, a server shutting down or
// starting up, too many connections) and "disk full", and wraps them as
// news.Unavailable or news.StorageFull. Any other error comes back as it
// is. This is the one place that knows pgx's and PostgreSQL's codes.
func (s *Store) Classify(err error) error { return classify(err) }

func classify(err error) error {
	if err == nil {
		return nil
	}
	if k := news.KindOf(err); k == news.KindUnavailable || k == news.KindStorageFull {
		return err
	}
	if code, _ := pgCode(err); code != "" {
		switch {
		case code == "53100": // disk_full
			return news.StorageFull(err)
		case strings.HasPrefix(code, "08"), // connection exception
			code == "57P01", code == "57P02", code == "57P03", // admin/crash shutdown, cannot connect now
			code == "53300": // too_many_connections
			return news.Unavailable(err)
		}
		return err
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	switch {
	case errors.As(err, &ce), errors.As(err, &ne),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF),
		pgconn.SafeToRetry(err), pgconn.Timeout(err):
		return news.Unavailable(err)
	}
	return err
}
