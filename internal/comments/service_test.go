package comments_test

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"byline/internal/comments"
	"byline/internal/news"
	"byline/internal/store/sqlitestore"
	"byline/internal/store/storetest"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }
func kind(err error) news.Kind       { return news.KindOf(err) }
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func setup(t *testing.T, set func(*news.CommentSettings)) (*comments.Service, *sqlitestore.Store, *clock, news.Article, []news.Change) {
	t.Helper()
	st, err := sqlitestore.Open(t.Context(), filepath.Join(t.TempDir(), "c.db"))
	must(t, err)
	t.Cleanup(func() { st.Close() })
	f := storetest.Seed(t, st)
	a := storetest.Publish(t, st, f.Politics, "Story", "Text", time.Hour, nil)
	if set != nil {
		s, _ := st.CommentSettings(t.Context())
		set(&s)
		must(t, st.SaveCommentSettings(t.Context(), s))
	}
	c := &clock{t: time.Now()}
	var changes []news.Change
	svc, err := comments.New(t.Context(), st, comments.Options{Now: c.now,
		Notifier: news.NotifierFunc(func(_ context.Context, ch news.Change) { changes = append(changes, ch) })})
	must(t, err)
	return svc, st, c, a, changes
}

func reader(t *testing.T, st *sqlitestore.Store, name string, age time.Duration) news.Reader {
	t.Helper()
	r := news.Reader{Provider: "x", Subject: name, Name: name, CreatedAt: time.Now().Add(-age)}
	must(t, st.UpsertReader(t.Context(), &r))
	return r
}

func TestEditWindow(t *testing.T) {
	svc, st, clk, a, _ := setup(t, nil)
	r := reader(t, st, "kim", 24*time.Hour)
	c, err := svc.Post(t.Context(), r, comments.PostInput{ArticleID: a.ID, Body: "first"})
	must(t, err)
	clk.add(4 * time.Minute)
	got, err := svc.Edit(t.Context(), r, c.ID, "first, fixed")
	must(t, err)
	if !got.Edited || got.Body != "first, fixed" {
		t.Errorf("edit = %+v", got)
	}
	clk.add(2 * time.Minute)
	if _, err := svc.Edit(t.Context(), r, c.ID, "too late"); kind(err) != news.KindForbidden || !strings.Contains(err.Error(), "5 minutes") {
		t.Errorf("edit after 6 minutes: %v, want forbidden", err)
	}
}

func TestSpamRulesAndBans(t *testing.T) {
	svc, st, clk, a, _ := setup(t, func(s *news.CommentSettings) {
		s.HoldFirstComment = true
		s.PerReaderBurst, s.PerReaderPerMinute = 100, 600
	})
	ctx := t.Context()
	old := reader(t, st, "old", 24*time.Hour)
	c, err := svc.Post(ctx, old, comments.PostInput{ArticleID: a.ID, Body: "my first"})
	must(t, err)
	if c.Status != news.CommentPending {
		t.Errorf("first comment: %q, want pending", c.Status)
	}
	c, _ = svc.Post(ctx, old, comments.PostInput{ArticleID: a.ID, Body: "my second"})
	if c.Status != news.CommentApproved {
		t.Errorf("second comment: %q, want approved", c.Status)
	}
	if _, err := svc.Post(ctx, old, comments.PostInput{ArticleID: a.ID, Body: "my second"}); kind(err) != news.KindConflict {
		t.Errorf("same text again: %v, want conflict", err)
	}
	clk.add(11 * time.Minute)
	if _, err := svc.Post(ctx, old, comments.PostInput{ArticleID: a.ID, Body: "my second"}); err != nil {
		t.Errorf("same text after the window: %v", err)
	}
	// A new account posting fast is held after 5 an hour.
	young := news.Reader{Provider: "x", Subject: "young", Name: "young", CreatedAt: clk.now()}
	must(t, st.UpsertReader(ctx, &young))
	var last news.Comment
	for i := 0; i < 7; i++ {
		last, err = svc.Post(ctx, young, comments.PostInput{ArticleID: a.ID, Body: "fast " + string(rune('a'+i))})
		must(t, err)
	}
	if last.Status != news.CommentPending {
		t.Errorf("new account's 7th comment: %q, want pending", last.Status)
	}
	// A ban ends on time.
	must(t, svc.Ban(ctx, "ed", old.ID, time.Hour, false, "2", ""))
	old, _ = st.ReaderByID(ctx, old.ID)
	if _, err := svc.Post(ctx, old, comments.PostInput{ArticleID: a.ID, Body: "while banned"}); kind(err) != news.KindForbidden {
		t.Errorf("banned: %v", err)
	}
	clk.add(61 * time.Minute)
	if _, err := svc.Post(ctx, old, comments.PostInput{ArticleID: a.ID, Body: "after the ban"}); err != nil {
		t.Errorf("after the ban ended: %v", err)
	}
	if err := svc.Ban(ctx, "ed", old.ID, time.Hour, false, "99", ""); kind(err) != news.KindInvalid {
		t.Errorf("ban citing no clause: %v", err)
	}
	log, _ := st.ModerationLog(ctx, 50, 0)
	var holds, bans int
	for _, e := range log {
		switch e.Action {
		case "hold":
			holds++
		case "ban":
			bans++
			if e.Clause != "2" || e.Actor != "ed" {
				t.Errorf("ban entry = %+v", e)
			}
		}
	}
	if holds < 2 || bans != 1 {
		t.Errorf("audit log: %d holds, %d bans", holds, bans)
	}
}

func TestRateLimitPerAddress(t *testing.T) {
	svc, st, _, a, _ := setup(t, func(s *news.CommentSettings) { s.PerIPBurst, s.PerIPPerMinute = 3, 1 })
	var tooMany int
	for i := 0; i < 5; i++ {
		r := reader(t, st, "r"+string(rune('a'+i)), time.Hour*24)
		_, err := svc.Post(t.Context(), r, comments.PostInput{ArticleID: a.ID, Body: "hello " + r.Name, IP: "203.0.113.9"})
		if kind(err) == news.KindTooMany {
			tooMany++
		} else {
			must(t, err)
		}
	}
	if tooMany != 2 {
		t.Errorf("%d of 5 refused from one address, want 2", tooMany)
	}
}
