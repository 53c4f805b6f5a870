package storetest

import (
	"fmt"
	"testing"
	"time"

	"byline/internal/news"
)

func init() { register("ReaderFields", testReaderFields) }

// testReaderFields: every field of a reader and of a sign-in state comes
// back as stored, times to the millisecond in UTC, and the zero time
// (no ban) as the zero time; readers list newest first.
func testReaderFields(t *testing.T, s news.Store) {
	created := time.Date(2026, 3, 4, 5, 6, 7, 891_000_000, time.FixedZone("KST", 9*3600))
	a := news.Reader{Provider: "fields", Subject: "a", Name: "Ahn", Email: "ahn@example.com", AvatarURL: "https://example.com/a.png", CreatedAt: created}
	must(t, s.UpsertReader(ctx, &a))
	if !a.CreatedAt.Equal(created) || a.CreatedAt.Location() != time.UTC || !a.BannedUntil.IsZero() || !a.ShadowUntil.IsZero() {
		t.Errorf("upserted %+v, want created %v in UTC and no ban", a, created)
	}
	b := news.Reader{Provider: "fields", Subject: "b", Name: "Baek"}
	must(t, s.UpsertReader(ctx, &b))
	until := time.Now().Add(time.Hour).UTC().Truncate(time.Millisecond)
	shadow := until.Add(time.Hour)
	must(t, s.BanReader(ctx, a.ID, until, true, shadow, "3"))
	got, err := s.ReaderByID(ctx, a.ID)
	must(t, err)
	want := fmt.Sprintf("%d fields a Ahn ahn@example.com https://example.com/a.png %v %v true %v 3",
		a.ID, created.UTC(), until, shadow)
	if g := fmt.Sprintf("%d %s %s %s %s %s %v %v %v %v %s", got.ID, got.Provider, got.Subject, got.Name, got.Email, got.AvatarURL,
		got.CreatedAt, got.BannedUntil, got.Shadow, got.ShadowUntil, got.BanClause); g != want {
		t.Errorf("ReaderByID =\n %s\nwant\n %s", g, want)
	}
	// Lifting the ban stores the zero times as none.
	must(t, s.BanReader(ctx, a.ID, time.Time{}, false, time.Time{}, ""))
	got, _ = s.ReaderByID(ctx, a.ID)
	if !got.BannedUntil.IsZero() || !got.ShadowUntil.IsZero() || got.Shadow || got.BanClause != "" {
		t.Errorf("after lifting the ban: %+v", got)
	}
	_, err = s.ReaderByID(ctx, 987654)
	wantKind(t, err, news.KindNotFound)
	list, err := s.ListReaders(ctx, 2, 0)
	must(t, err)
	if len(list) != 2 || list[0].ID != b.ID || list[1].ID != a.ID {
		t.Errorf("ListReaders(2, 0) = %+v, want Baek then Ahn", list)
	}
	if rest, err := s.ListReaders(ctx, 2, 2); err != nil || len(rest) != 0 {
		t.Errorf("ListReaders(2, 2) = %+v, %v; want none", rest, err)
	}

	exp := time.Now().Add(time.Minute).UTC().Truncate(time.Millisecond)
	st := news.LoginState{State: "fields-1", Provider: "fields", Verifier: "v", Nonce: "n", ReturnTo: "/x", Subject: "sub", Name: "Nam", ExpiresAt: exp}
	must(t, s.SaveLoginState(ctx, st))
	gs, err := s.TakeLoginState(ctx, st.State, time.Now())
	must(t, err)
	if fmt.Sprint(gs) != fmt.Sprint(st) {
		t.Errorf("TakeLoginState = %+v, want %+v", gs, st)
	}
}
