package respond_test

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"byline/internal/respond"
)

// TestErrorLogsThroughRequestLogger: an internal error is logged by the
// server's configured logger (JSON here), not Go's default logger.
func TestErrorLogsThroughRequestLogger(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, nil))
	r := httptest.NewRequest("GET", "/api/v1/articles", nil)
	r = r.WithContext(respond.WithLogger(r.Context(), logger))
	w := httptest.NewRecorder()
	respond.Error(w, r, errors.New("disk on fire"))
	if w.Code != 500 {
		t.Errorf("status = %d, want 500", w.Code)
	}
	if got := buf.String(); !strings.Contains(got, `"msg":"internal error"`) || !strings.Contains(got, `"err":"disk on fire"`) {
		t.Errorf("configured logger got %q, want the internal error as JSON", got)
	}
}
