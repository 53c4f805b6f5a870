// Package news owns Byline's domain: articles, sections, authors,
// corrections and the rules they obey, the error kinds every layer speaks,
// and the storage interfaces that engines implement. It imports nothing of
// Byline's own.
package news

import (
	"errors"
	"fmt"
	"syscall"
)

// Kind classifies an error so that every surface (HTML, JSON, CLI) can
// answer it the same way without knowing where it came from.
type Kind int

const (
	KindInternal Kind = iota
	KindNotFound
	KindInvalid
	KindConflict
	KindUnauthorized
	KindForbidden
	KindTooMany
	KindTooLarge
	// KindUnavailable: the database cannot be reached just now (stopped,
	// restarting, network down). Nothing is wrong with the request; the
	// client should try again shortly.
	KindUnavailable
	// KindStorageFull: the disk (or the database's quota) is full, so
	// nothing was written.
	KindStorageFull
)

func (k Kind) String() string {
	switch k {
	case KindNotFound:
		return "not_found"
	case KindInvalid:
		return "invalid"
	case KindConflict:
		return "conflict"
	case KindUnauthorized:
		return "unauthorized"
	case KindForbidden:
		return "forbidden"
	case KindTooMany:
		return "too_many_requests"
	case KindTooLarge:
		return "too_large"
	case KindUnavailable:
		return "unavailable"
	case KindStorageFull:
		return "storage_full"
	default:
		return "internal"
	}
}

// Error is a domain error with a kind and a message that is safe to show
// to the person who caused it.
type Error struct {
	Kind    Kind
	Message string
	// Field names the input that was wrong, when there is one.
	Field string
	Err   error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds a domain error of the given kind.
func Errorf(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// Invalid reports bad input on one field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Kind: KindInvalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// NotFound reports that a thing does not exist (or is not visible).
func NotFound(what string) *Error {
	return &Error{Kind: KindNotFound, Message: what + " not found"}
}

// Messages of the two outage kinds, the same on every surface.
const (
	UnavailableMessage = "The site is briefly unavailable. Please try again in a minute."
	StorageFullMessage = "The server's disk is full; nothing was saved. Please try again later."
)

// Unavailable wraps err (the database could not be reached) as a
// KindUnavailable error.
func Unavailable(err error) *Error {
	return &Error{Kind: KindUnavailable, Message: UnavailableMessage, Err: err}
}

// StorageFull wraps err (a write found no space) as a KindStorageFull
// error.
func StorageFull(err error) *Error {
	return &Error{Kind: KindStorageFull, Message: StorageFullMessage, Err: err}
}

// KindOf returns the kind of err: the kind of the first *Error in its
// chain; KindStorageFull for a file write that found no space (ENOSPC),
// whoever made it; else KindInternal. Errors of the database
// engines are recognised by the engine (Store.Classify).
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	if errors.Is(err, syscall.ENOSPC) {
		return KindStorageFull
	}
	return KindInternal
}

// IsNotFound reports whether err is a not-found error.
func IsNotFound(err error) bool { return err != nil && KindOf(err) == KindNotFound }

// PublicMessage returns what may be shown to a user for err: the domain
// message, or a generic sentence for internal errors.
func PublicMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Kind != KindInternal {
		return e.Message
	}
	if KindOf(err) == KindStorageFull {
		return StorageFullMessage
	}
	return "Something went wrong on our side. Please try again."
}
