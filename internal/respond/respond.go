// Package respond writes HTTP responses the same way for every surface:
// JSON bodies, JSON errors, and the mapping of domain error kinds to
// status codes.
package respond

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"byline/internal/news"
)

// Status maps a domain error kind to an HTTP status code. It is the only
// such table in Byline.
func Status(k news.Kind) int {
	switch k {
	case news.KindNotFound:
		return http.StatusNotFound
	case news.KindInvalid:
		return http.StatusBadRequest
	case news.KindConflict:
		return http.StatusConflict
	case news.KindUnauthorized:
		return http.StatusUnauthorized
	case news.KindForbidden:
		return http.StatusForbidden
	case news.KindTooMany:
		return http.StatusTooManyRequests
	case news.KindTooLarge:
		return http.StatusRequestEntityTooLarge
	case news.KindUnavailable:
		return http.StatusServiceUnavailable
	case news.KindStorageFull:
		return http.StatusInsufficientStorage
	default:
		return http.StatusInternalServerError
	}
}

// StatusOf is Status of err's kind, with request body limits recognised.
func StatusOf(err error) int {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return http.StatusRequestEntityTooLarge
	}
	return Status(news.KindOf(err))
}

// JSON writes v as JSON with the given status.
func JSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}

// ErrorBody is the JSON shape of every API error.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail names the error kind, says what went wrong, and the field
// when one input was at fault.
type ErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

type loggerKey struct{}

// WithLogger returns ctx carrying the server's configured logger, so
// that helpers far from the server log through it (--log-format json)
// rather than through Go's default logger.
func WithLogger(ctx context.Context, l *slog.Logger) context.Context {
	return context.WithValue(ctx, loggerKey{}, l)
}

// Logger is the logger WithLogger put in ctx, or slog's default when
// none was (tests of a single handler).
func Logger(ctx context.Context) *slog.Logger {
	if l, ok := ctx.Value(loggerKey{}).(*slog.Logger); ok && l != nil {
		return l
	}
	return slog.Default()
}

// Error writes err as a JSON error. Internal errors are logged with
// detail and shown to the client as a generic sentence; outages (database
// unreachable, disk full) are recognised through the request's Faults,
// answered 503 with Retry-After or 507, and logged once a minute.
func Error(w http.ResponseWriter, r *http.Request, err error) {
	err = Classify(r, err)
	status := StatusOf(err)
	RetryAfter(w, status)
	d := ErrorDetail{Code: news.KindOf(err).String(), Message: news.PublicMessage(err)}
	if status == http.StatusRequestEntityTooLarge {
		d.Code, d.Message = news.KindTooLarge.String(), "the request body is too large"
	}
	var e *news.Error
	if errors.As(err, &e) {
		d.Field = e.Field
	}
	if status >= 500 {
		LogError(r, "internal error", err)
	}
	JSON(w, status, ErrorBody{Error: d})
}
