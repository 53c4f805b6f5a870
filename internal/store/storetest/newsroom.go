package storetest

import (
	"sync"
	"testing"
	"time"

	"byline/internal/news"
)

// NewsroomOpener returns a new empty store that also keeps staff.
type NewsroomOpener func(t *testing.T) interface {
	news.Store
	news.NewsroomStore
}

type newsroomStore interface {
	news.Store
	news.NewsroomStore
}

// RunNewsroom runs the conformance tests of news.NewsroomStore.
func RunNewsroom(t *testing.T, open NewsroomOpener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s newsroomStore)
	}{
		{"Staff", testStaff},
		{"Sessions", testSessions},
		{"Tokens", testTokens},
		{"LoginFailures", testLoginFailures},
		{"Revisions", testRevisions},
		{"Redirects", testRedirects},
		{"PublishDueOnce", testPublishDue},
		{"EmbargoLiftOnceAndNextDue", testEmbargoLift},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() { s.Close() })
			tc.fn(t, s)
		})
	}
}

func testStaff(t *testing.T, s newsroomStore) {
	u := news.StaffUser{Email: " Ed@Example.COM ", Name: "Ed", Role: news.RoleEditor, PasswordHash: "h"}
	must(t, s.CreateStaff(ctx, &u))
	if u.ID == 0 || u.Email != "ed@example.com" {
		t.Fatalf("created %+v, want an id and a lowercased e-mail", u)
	}
	dup := news.StaffUser{Email: "ed@example.com", Name: "Other", Role: news.RoleAdmin}
	wantKind(t, s.CreateStaff(ctx, &dup), news.KindConflict)
	bad := news.StaffUser{Email: "x@example.com", Name: "X", Role: "owner"}
	wantKind(t, s.CreateStaff(ctx, &bad), news.KindInvalid)
	got, err := s.StaffByEmail(ctx, "ED@example.com")
	must(t, err)
	if got.ID != u.ID || got.Role != news.RoleEditor || got.PasswordHash != "h" {
		t.Errorf("by e-mail %+v, want %+v", got, u)
	}
	got.Disabled, got.TOTPSecret, got.Role = true, "SECRET", news.RoleAdmin
	must(t, s.UpdateStaff(ctx, &got))
	again, err := s.StaffByID(ctx, u.ID)
	must(t, err)
	if !again.Disabled || again.TOTPSecret != "SECRET" || again.Role != news.RoleAdmin {
		t.Errorf("after update %+v", again)
	}
	_, err = s.StaffByID(ctx, 9999)
	wantKind(t, err, news.KindNotFound)
	list, err := s.ListStaff(ctx)
	must(t, err)
	if len(list) != 1 {
		t.Errorf("list has %d users, want 1", len(list))
	}
}

func staffUser(t *testing.T, s newsroomStore, email string) news.StaffUser {
	t.Helper()
	u := news.StaffUser{Email: email, Name: "User " + email, Role: news.RoleEditor}
	must(t, s.CreateStaff(ctx, &u))
	return u
}

func testSessions(t *testing.T, s newsroomStore) {
	u := staffUser(t, s, "a@example.com")
	now := time.Now().UTC().Truncate(time.Millisecond)
	for _, h := range []string{"h1", "h2"} {
		must(t, s.CreateSession(ctx, &news.Session{IDHash: h, UserID: u.ID, CSRFToken: "c-" + h, CreatedAt: now, LastSeenAt: now}))
	}
	se, err := s.SessionByHash(ctx, "h1")
	must(t, err)
	if se.UserID != u.ID || se.CSRFToken != "c-h1" || !se.CreatedAt.Equal(now) {
		t.Errorf("session %+v", se)
	}
	must(t, s.TouchSession(ctx, "h1", now.Add(time.Hour)))
	se, _ = s.SessionByHash(ctx, "h1")
	if !se.LastSeenAt.Equal(now.Add(time.Hour)) {
		t.Errorf("last seen %v, want %v", se.LastSeenAt, now.Add(time.Hour))
	}
	must(t, s.CreateSession(ctx, &news.Session{IDHash: "old", UserID: u.ID, CSRFToken: "c", CreatedAt: now.Add(-8 * 24 * time.Hour), LastSeenAt: now}))
	must(t, s.CreateSession(ctx, &news.Session{IDHash: "idle", UserID: u.ID, CSRFToken: "c", CreatedAt: now, LastSeenAt: now.Add(-13 * time.Hour)}))
	n, err := s.DeleteExpiredSessions(ctx, now.Add(-12*time.Hour), now.Add(-7*24*time.Hour))
	must(t, err)
	if n != 2 {
		t.Errorf("deleted %d expired sessions, want 2", n)
	}
	if _, err := s.SessionByHash(ctx, "h2"); err != nil {
		t.Errorf("a live session was deleted: %v", err)
	}
	must(t, s.DeleteSession(ctx, "h1"))
	_, err = s.SessionByHash(ctx, "h1")
	wantKind(t, err, news.KindNotFound)
	must(t, s.DeleteUserSessions(ctx, u.ID))
	_, err = s.SessionByHash(ctx, "h2")
	wantKind(t, err, news.KindNotFound)
}

func testTokens(t *testing.T, s newsroomStore) {
	u := staffUser(t, s, "b@example.com")
	tok := news.APIToken{UserID: u.ID, Name: "bridge", Hash: "abc"}
	must(t, s.CreateToken(ctx, &tok))
	got, err := s.TokenByHash(ctx, "abc")
	must(t, err)
	if got.ID != tok.ID || got.UserID != u.ID || got.Revoked {
		t.Errorf("token %+v", got)
	}
	must(t, s.RevokeToken(ctx, tok.ID))
	got, _ = s.TokenByHash(ctx, "abc")
	if !got.Revoked {
		t.Error("revoked token not marked")
	}
	_, err = s.TokenByHash(ctx, "nope")
	wantKind(t, err, news.KindNotFound)
	list, err := s.ListTokens(ctx, u.ID)
	must(t, err)
	if len(list) != 1 {
		t.Errorf("%d tokens, want 1", len(list))
	}
}

func testLoginFailures(t *testing.T, s newsroomStore) {
	now := time.Now()
	for i := 0; i < 3; i++ {
		must(t, s.RecordLoginFailure(ctx, "email:x", now.Add(-time.Duration(i)*10*time.Minute)))
	}
	n, err := s.CountLoginFailures(ctx, "email:x", now.Add(-15*time.Minute))
	must(t, err)
	if n != 2 {
		t.Errorf("%d failures in the window, want 2", n)
	}
	must(t, s.ClearLoginFailures(ctx, "email:x"))
	if n, _ := s.CountLoginFailures(ctx, "email:x", now.Add(-time.Hour)); n != 0 {
		t.Errorf("%d failures after clearing", n)
	}
}

func testRevisions(t *testing.T, s newsroomStore) {
	f := Seed(t, s)
	a := Publish(t, s, f.Politics, "Revised", "body", 0, []string{"x"}, f.Kim)
	for _, note := range []string{"publish", "update"} {
		r := news.Revision{ArticleID: a.ID, UserID: 1, UserName: "Ed", Note: note, Snapshot: a}
		must(t, s.AddRevision(ctx, &r))
	}
	list, err := s.ListRevisions(ctx, a.ID)
	must(t, err)
	if len(list) != 2 || list[0].Note != "update" || list[0].Snapshot.Headline != "Revised" || len(list[0].Snapshot.Authors) != 1 {
		t.Fatalf("revisions %+v, want newest first with full snapshots", list)
	}
	one, err := s.RevisionByID(ctx, list[1].ID)
	must(t, err)
	if one.Note != "publish" {
		t.Errorf("revision %+v", one)
	}
	_, err = s.RevisionByID(ctx, 9999)
	wantKind(t, err, news.KindNotFound)
}

func testRedirects(t *testing.T, s newsroomStore) {
	must(t, s.PutRedirect(ctx, "/section/a", "/section/b"))
	must(t, s.PutRedirect(ctx, "/section/b", "/section/c"))
	for from, want := range map[string]string{"/section/a": "/section/c", "/section/b": "/section/c"} {
		got, err := s.RedirectFor(ctx, from)
		if err != nil || got != want {
			t.Errorf("%s -> %q (%v), want %s", from, got, err, want)
		}
	}
	// Moving back makes /section/a live again: it must not redirect.
	must(t, s.PutRedirect(ctx, "/section/c", "/section/a"))
	if _, err := s.RedirectFor(ctx, "/section/a"); !news.IsNotFound(err) {
		t.Errorf("live path /section/a still redirects (%v)", err)
	}
	wantKind(t, s.PutRedirect(ctx, "relative", "/x"), news.KindInvalid)
	wantKind(t, s.PutRedirect(ctx, "/same", "/same"), news.KindInvalid)
}

func testPublishDue(t *testing.T, s newsroomStore) {
	f := Seed(t, s)
	now := time.Now().UTC()
	var due []int64
	for i, at := range []time.Duration{-time.Minute, -time.Second, time.Hour} {
		a := news.Article{SectionID: f.Politics.ID, Headline: "Scheduled " + string(rune('A'+i)), Status: news.StatusScheduled, PublishedAt: now.Add(at)}
		must(t, s.CreateArticle(ctx, &a))
		if at < 0 {
			due = append(due, a.ID)
		}
	}
	var mu sync.Mutex
	var got []int64
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids, err := s.PublishDue(ctx, now)
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			got = append(got, ids...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if len(got) != len(due) {
		t.Fatalf("published %v, want each of %v exactly once", got, due)
	}
	for _, id := range due {
		a, err := s.ArticleByID(ctx, id)
		must(t, err)
		if a.Status != news.StatusPublished {
			t.Errorf("article %d status %s, want published", id, a.Status)
		}
	}
}

// Embargoes of published articles are lifted (cleared and returned) once
// however many callers race; NextDue names the earliest due time.
func testEmbargoLift(t *testing.T, s newsroomStore) {
	f := Seed(t, s)
	now := time.Now().UTC().Truncate(time.Millisecond)
	if next, err := s.NextDue(ctx); err != nil || !next.IsZero() {
		t.Fatalf("NextDue with nothing due = %v, %v; want zero", next, err)
	}
	mk := func(h string, st news.Status, published, embargo time.Time) news.Article {
		a := news.Article{SectionID: f.Politics.ID, Headline: h, Status: st, PublishedAt: published, EmbargoUntil: embargo}
		must(t, s.CreateArticle(ctx, &a))
		return a
	}
	passed := mk("Embargo passed", news.StatusPublished, now.Add(-time.Hour), now.Add(-time.Second))
	mk("Embargo to come", news.StatusPublished, now.Add(-time.Hour), now.Add(2*time.Hour))
	mk("Draft with an embargo", news.StatusDraft, time.Time{}, now.Add(-time.Minute))
	mk("Scheduled", news.StatusScheduled, now.Add(time.Hour), time.Time{})
	if next, err := s.NextDue(ctx); err != nil || !next.Equal(now.Add(-time.Second)) {
		t.Errorf("NextDue = %v, %v; want the passed embargo %v", next, err, now.Add(-time.Second))
	}
	var mu sync.Mutex
	var got []int64
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids, err := s.LiftEmbargoes(ctx, now)
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			got = append(got, ids...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if len(got) != 1 || got[0] != passed.ID {
		t.Fatalf("lifted %v, want only %d, once", got, passed.ID)
	}
	a, err := s.ArticleByID(ctx, passed.ID)
	must(t, err)
	if !a.EmbargoUntil.IsZero() || a.Version != passed.Version+1 {
		t.Errorf("after the lift: embargo %v version %d; want cleared, version %d", a.EmbargoUntil, a.Version, passed.Version+1)
	}
	if next, err := s.NextDue(ctx); err != nil || !next.Equal(now.Add(time.Hour)) {
		t.Errorf("NextDue = %v, %v; want the scheduled article %v", next, err, now.Add(time.Hour))
	}
}
