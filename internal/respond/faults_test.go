package respond

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"byline/internal/news"
)

var errDown = errors.New("dial tcp 127.0.0.1:5432: connect: connection refused")

// An engine's classifier turns its outage errors into kinds; Error answers
// them 503 (with Retry-After) and 507, in JSON, and logs each kind once a
// minute however many requests fail.
func TestErrorOutages(t *testing.T) {
	var logs bytes.Buffer
	now := time.Date(2026, 12, 3, 7, 0, 0, 0, time.UTC)
	f := NewFaults(func(err error) error {
		if errors.Is(err, errDown) {
			return news.Unavailable(err)
		}
		return err
	}, slog.New(slog.NewTextHandler(&logs, nil)), func() time.Time { return now })
	answer := func(err error) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		f.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { Error(w, r, err) })).
			ServeHTTP(w, httptest.NewRequest("POST", "/api/v1/articles/1/comments", nil))
		return w
	}
	for _, c := range []struct {
		err                  error
		status               int
		code, message, retry string
	}{
		{errDown, 503, "unavailable", "briefly unavailable", "10"},
		{&writeError{syscall.ENOSPC}, 507, "storage_full", "disk is full; nothing was saved", ""},
		{errors.New("boom"), 500, "internal", "Something went wrong", ""},
	} {
		w := answer(c.err)
		var body ErrorBody
		if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
			t.Fatalf("%v: body %q: %v", c.err, w.Body, err)
		}
		if w.Code != c.status || body.Error.Code != c.code || !strings.Contains(body.Error.Message, c.message) || w.Header().Get("Retry-After") != c.retry {
			t.Errorf("%v: got %d %q %q Retry-After %q, want %d %q %q Retry-After %q", c.err, w.Code, body.Error.Code, body.Error.Message, w.Header().Get("Retry-After"), c.status, c.code, c.message, c.retry)
		}
	}
	logs.Reset()
	for range 5 {
		answer(errDown)
	}
	if got := strings.Count(logs.String(), "database unavailable"); got != 0 {
		t.Errorf("within the minute: %d more log lines, want 0:\n%s", got, logs.String())
	}
	now = now.Add(LogEvery)
	answer(errDown)
	if got := strings.Count(logs.String(), "database unavailable"); got != 1 || !strings.Contains(logs.String(), "not_logged_since_last=5") {
		t.Errorf("a minute later: %d log lines, want 1 counting the 5 left out:\n%s", got, logs.String())
	}
}

// writeError is a file write that found no space, as os returns it.
type writeError struct{ errno syscall.Errno }

func (e *writeError) Error() string { return "write /data/media/x.jpg: " + e.errno.Error() }
func (e *writeError) Unwrap() error { return e.errno }
