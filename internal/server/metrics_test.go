package server

import (
	"context"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"byline/internal/comments"
	"byline/internal/news"
)

func scrape(t *testing.T, s *Server) string {
	t.Helper()
	w := httptest.NewRecorder()
	s.MetricsHandler().ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	if w.Code != 200 {
		t.Fatalf("GET /metrics: status %d", w.Code)
	}
	b, _ := io.ReadAll(w.Body)
	return string(b)
}

func TestMetrics(t *testing.T) {
	s := newTestServer(t, nil)
	for range 3 {
		serve(s.Handler(), httptest.NewRequest("GET", "/healthz", nil))
	}
	serve(s.Handler(), httptest.NewRequest("GET", "/no/such/page", nil))
	serve(s.Handler(), httptest.NewRequest("GET", "/", nil))
	serve(s.Handler(), httptest.NewRequest("GET", "/", nil))
	text := scrape(t, s)
	for _, want := range []string{
		`byline_http_requests_total{route="GET /healthz",status="200"} 3`,
		`byline_http_request_duration_seconds_count{route="GET /healthz"} 3`,
		`byline_page_cache_hits_total 1`,
		`byline_page_cache_misses_total 1`,
		`byline_page_cache_entries 1`,
		`byline_comments_posted_total 0`,
		`go_goroutines `,
		`go_sql_open_connections{db_name="sqlite_writer"}`,
		`go_sql_open_connections{db_name="sqlite_reader"}`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if !strings.Contains(text, `status="404"`) {
		t.Errorf("no 404 counted:\n%s", grepLines(text, "byline_http_requests_total"))
	}
	// A second server has a registry of its own (no duplicate
	// registration panic, no shared counts).
	s2 := newTestServer(t, nil)
	if strings.Contains(scrape(t, s2), `route="GET /healthz"`) {
		t.Error("the second server's registry counts the first one's requests")
	}
}

func grepLines(text, sub string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// fakeCommentStore stores nothing; it only answers CreateComment.
type fakeCommentStore struct{ comments.Store }

func (fakeCommentStore) CreateComment(ctx context.Context, c *news.Comment) error {
	c.ID = 1
	return nil
}

func TestCommentCounters(t *testing.T) {
	s := newTestServer(t, nil)
	cc := countingComments{fakeCommentStore{}, s.metrics}
	ctx := context.Background()
	cc.CreateComment(ctx, &news.Comment{Status: news.CommentApproved})
	cc.CreateComment(ctx, &news.Comment{Status: news.CommentPending})
	cc.CreateComment(ctx, &news.Comment{Status: news.CommentApproved})
	text := scrape(t, s)
	for _, want := range []string{"byline_comments_posted_total 3", "byline_comments_held_total 1"} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %q:\n%s", want, grepLines(text, "byline_comments"))
		}
	}
}
