package comments_test

import (
	"testing"
	"time"

	"byline/internal/comments"
	"byline/internal/news"
)

// TestRateLimitShared: two services (two servers) given the database's
// buckets allow together what one allows -- per reader and per address --
// while two services counting in memory would each allow the burst.
func TestRateLimitShared(t *testing.T) {
	svcA, st, clk, a, _ := setup(t, func(s *news.CommentSettings) {
		s.PerReaderBurst, s.PerReaderPerMinute = 2, 1
		s.PerIPBurst, s.PerIPPerMinute = 3, 1
	})
	_ = svcA // the fixture's own service; the two below are the servers
	opts := comments.Options{Now: clk.now, SharedLimits: st}
	one, err := comments.New(t.Context(), st, opts)
	must(t, err)
	two, err := comments.New(t.Context(), st, opts)
	must(t, err)
	servers := []*comments.Service{one, two}
	post := func(i int, r news.Reader, ip string) bool {
		t.Helper()
		_, err := servers[i%2].Post(t.Context(), r, comments.PostInput{ArticleID: a.ID, Body: "comment " + string(rune('a'+i)) + " by " + r.Name, IP: ip})
		if kind(err) == news.KindTooMany {
			return false
		}
		must(t, err)
		return true
	}
	kim := reader(t, st, "kim", 24*time.Hour)
	allowed := 0
	for i := range 4 {
		if post(i, kim, "") {
			allowed++
		}
	}
	if allowed != 2 {
		t.Errorf("one reader through two servers: %d of 4 allowed, want the burst of 2", allowed)
	}
	allowed = 0
	for i := range 5 {
		if post(i, reader(t, st, "neighbour"+string(rune('a'+i)), 24*time.Hour), "198.51.100.7") {
			allowed++
		}
	}
	if allowed != 3 {
		t.Errorf("one address through two servers: %d of 5 allowed, want the burst of 3", allowed)
	}
	clk.add(61 * time.Second)
	if !post(9, kim, "") {
		t.Error("a minute later the reader was refused; one token has dripped in")
	}
}
