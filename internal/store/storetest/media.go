package storetest

import (
	"fmt"
	"testing"
	"time"

	"byline/internal/news"
)

// RunMediaPagingWebhooksImports runs the conformance tests of the media library, the content
// API's keyset paging, webhooks and imports. Engines that implement those
// stores call it beside Run.
func RunMediaPagingWebhooksImports(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s news.Store)
	}{
		{"Media", testMedia},
		{"CursorPaging", testCursorPaging},
		{"CursorPagingTies", testCursorPagingTies},
		{"WebhookQueue", testWebhookQueue},
		{"ImportMap", testImportMap},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() { s.Close() })
			tc.fn(t, s)
		})
	}
}

func testMedia(t *testing.T, s news.Store) {
	ms := s
	m := news.Media{Path: "2026/01/a.jpg", MIME: "image/jpeg", Width: 2000, Height: 1000, Bytes: 1234, Alt: "A harbour at dawn", Credit: "Kim",
		Renditions: []news.Rendition{{Path: "2026/01/a-480.jpg", Width: 480, Height: 240}, {Path: "2026/01/a-960.jpg", Width: 960, Height: 480}}}
	must(t, ms.CreateMedia(ctx, &m))
	if m.ID == 0 {
		t.Fatal("CreateMedia set no ID")
	}
	wantKind(t, ms.CreateMedia(ctx, &news.Media{Path: "2026/01/b.jpg", MIME: "image/jpeg", Alt: "  "}), news.KindInvalid)
	dup := m
	wantKind(t, ms.CreateMedia(ctx, &dup), news.KindConflict)
	got, err := ms.MediaByID(ctx, m.ID)
	must(t, err)
	if got.Path != m.Path || len(got.Renditions) != 2 || got.Renditions[1].Width != 960 || got.Alt != m.Alt {
		t.Errorf("MediaByID = %+v, want %+v", got, m)
	}
	if want := "/media/2026/01/a-480.jpg 480w, /media/2026/01/a-960.jpg 960w, /media/2026/01/a.jpg 2000w"; got.SrcSet() != want {
		t.Errorf("SrcSet = %q, want %q", got.SrcSet(), want)
	}
	_, err = ms.MediaByID(ctx, 9999)
	wantKind(t, err, news.KindNotFound)
	byPath, err := ms.MediaByPath(ctx, m.Path)
	must(t, err)
	if byPath.ID != m.ID {
		t.Errorf("MediaByPath id = %d, want %d", byPath.ID, m.ID)
	}
	m2 := news.Media{Path: "2026/01/c.png", MIME: "image/png", Width: 10, Height: 10, Alt: "A chart of 100% growth", CreatedAt: time.Now().Add(time.Minute)}
	must(t, ms.CreateMedia(ctx, &m2))
	items, total, err := ms.ListMedia(ctx, news.MediaQuery{})
	must(t, err)
	if total != 2 || len(items) != 2 || items[0].ID != m2.ID {
		t.Errorf("ListMedia = %d items (total %d), first %d; want 2, newest %d first", len(items), total, items[0].ID, m2.ID)
	}
	items, total, err = ms.ListMedia(ctx, news.MediaQuery{Text: "100%"})
	must(t, err)
	if total != 1 || items[0].ID != m2.ID {
		t.Errorf("ListMedia(100%%) total %d, want 1", total)
	}
	m.Caption = "Busan at 6 a.m."
	must(t, ms.UpdateMediaText(ctx, &m))
	got, _ = ms.MediaByID(ctx, m.ID)
	if got.Caption != m.Caption {
		t.Errorf("caption = %q, want %q", got.Caption, m.Caption)
	}
	wantKind(t, ms.UpdateMediaText(ctx, &news.Media{ID: 9999, Alt: "x"}), news.KindNotFound)
}

func testCursorPaging(t *testing.T, s news.Store) {
	cs := s
	f := Seed(t, s)
	var want []int64
	for i := range 7 {
		a := Publish(t, s, f.Politics, "Story "+string(rune('A'+i)), "Body.", time.Duration(7-i)*time.Hour, []string{"x"}, f.Kim)
		want = append([]int64{a.ID}, want...)
	}
	// Two with the same publish time: the id breaks the tie.
	same := time.Now().Add(-30 * time.Minute).Truncate(time.Millisecond)
	for range 2 {
		a := news.Article{Headline: "Same time", SectionID: f.Business.ID, Status: news.StatusPublished, PublishedAt: same, Authors: []news.Author{f.Lee}}
		must(t, s.CreateArticle(ctx, &a))
		want = append([]int64{a.ID}, want...)
	}
	draft := news.Article{Headline: "Draft", SectionID: f.Politics.ID}
	must(t, s.CreateArticle(ctx, &draft))
	emb := news.Article{Headline: "Embargoed", SectionID: f.Politics.ID, Status: news.StatusPublished, EmbargoUntil: time.Now().Add(time.Hour)}
	must(t, s.CreateArticle(ctx, &emb))

	var got []int64
	var after *news.Cursor
	for guard := 0; guard < 20; guard++ {
		page, err := cs.ListVisibleAfter(ctx, news.CursorQuery{After: after, Limit: 2})
		must(t, err)
		for _, a := range page {
			got = append(got, a.ID)
		}
		if len(page) < 2 {
			break
		}
		last := page[len(page)-1]
		after = &news.Cursor{PublishedAt: last.PublishedAt, ID: last.ID}
	}
	if len(got) != len(want) {
		t.Fatalf("paged ids %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("paged ids %v, want %v", got, want)
		}
	}
	page, err := cs.ListVisibleAfter(ctx, news.CursorQuery{SectionIDs: []int64{f.Business.ID}, Limit: 10})
	must(t, err)
	if len(page) != 2 || len(page[0].Authors) != 1 || page[0].Authors[0].ID != f.Lee.ID {
		t.Errorf("business section: %d articles, want 2 with Lee's byline", len(page))
	}
	page, err = cs.ListVisibleAfter(ctx, news.CursorQuery{Tag: "x", AuthorID: f.Kim.ID, Limit: 100})
	must(t, err)
	if len(page) != 7 || len(page[0].Tags) != 1 {
		t.Errorf("tag+author filter: %d articles, want 7 with tags", len(page))
	}
}

// testCursorPagingTies pages through groups of three articles that share
// a publication time with pages of four, so that cursors fall inside a
// group and the id alone must say where the next page starts.
func testCursorPagingTies(t *testing.T, s news.Store) {
	f := Seed(t, s)
	base := time.Now().Add(-time.Hour).Truncate(time.Millisecond)
	var want []int64
	for i := range 12 {
		a := news.Article{Headline: "Story", SectionID: f.Politics.ID, Status: news.StatusPublished, PublishedAt: base.Add(time.Duration(i/3) * time.Minute)}
		must(t, s.CreateArticle(ctx, &a))
		want = append(want, a.ID)
	}
	// Newest first; within a time, highest id first.
	for i, j := 0, len(want)-1; i < j; i, j = i+1, j-1 {
		want[i], want[j] = want[j], want[i]
	}
	var got []int64
	var after *news.Cursor
	for guard := 0; guard < 20; guard++ {
		page, err := s.ListVisibleAfter(ctx, news.CursorQuery{After: after, Limit: 4})
		must(t, err)
		for _, a := range page {
			got = append(got, a.ID)
		}
		if len(page) < 4 {
			break
		}
		last := page[len(page)-1]
		after = &news.Cursor{PublishedAt: last.PublishedAt, ID: last.ID}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("paged ids %v, want %v", got, want)
	}
}

func testWebhookQueue(t *testing.T, s news.Store) {
	ws := s
	h := news.Webhook{URL: "https://example.com/hook", Secret: "s3cret", Active: true}
	must(t, ws.CreateWebhook(ctx, &h))
	off := news.Webhook{URL: "https://example.com/off", Secret: "x", Active: false}
	must(t, ws.CreateWebhook(ctx, &off))
	now := time.Now().UTC().Truncate(time.Millisecond)
	n, err := ws.EnqueueDeliveries(ctx, "publish", []byte(`{"a":1}`), now)
	must(t, err)
	if n != 1 {
		t.Fatalf("enqueued %d, want 1 (inactive endpoints get nothing)", n)
	}
	got, err := ws.ClaimDeliveries(ctx, now, time.Minute, 10)
	must(t, err)
	if len(got) != 1 || got[0].Secret != "s3cret" || string(got[0].Payload) != `{"a":1}` || got[0].URL != h.URL {
		t.Fatalf("claimed %+v", got)
	}
	again, err := ws.ClaimDeliveries(ctx, now, time.Minute, 10)
	must(t, err)
	if len(again) != 0 {
		t.Fatalf("claimed a leased delivery twice: %+v", again)
	}
	// The lease runs out: another worker takes the row over.
	later, err := ws.ClaimDeliveries(ctx, now.Add(2*time.Minute), time.Minute, 10)
	must(t, err)
	if len(later) != 1 {
		t.Fatalf("after the lease: claimed %d, want 1", len(later))
	}
	d := later[0]
	d.Attempts, d.ResponseCode, d.LastError, d.LastAttemptAt, d.NextAttemptAt = 1, 500, "server error", now, now.Add(time.Hour)
	must(t, ws.FinishAttempt(ctx, &d))
	if c, _ := ws.ClaimDeliveries(ctx, now.Add(30*time.Minute), time.Minute, 10); len(c) != 0 {
		t.Fatalf("claimed a delivery before its next attempt")
	}
	log, err := ws.ListDeliveries(ctx, h.ID, 10)
	must(t, err)
	if len(log) != 1 || log[0].Attempts != 1 || log[0].ResponseCode != 500 || log[0].Status != news.DeliveryPending || log[0].Secret != "" {
		t.Errorf("log = %+v", log)
	}
	d.Status, d.Attempts = news.DeliveryDelivered, 2
	must(t, ws.FinishAttempt(ctx, &d))
	if c, _ := ws.ClaimDeliveries(ctx, now.Add(48*time.Hour), time.Minute, 10); len(c) != 0 {
		t.Fatalf("claimed a delivered row")
	}
	if n, err := ws.PruneDeliveries(ctx, now.Add(time.Hour)); err != nil || n != 1 {
		t.Errorf("PruneDeliveries = %d, %v; want the delivered row", n, err)
	}
	if _, err := ws.EnqueueDeliveries(ctx, "update", []byte(`{}`), now); err != nil {
		t.Fatal(err)
	}
	if n, _ := ws.PruneDeliveries(ctx, now.Add(time.Hour)); n != 0 {
		t.Errorf("pruned %d pending deliveries", n)
	}
	hooks, err := ws.ListWebhooks(ctx)
	must(t, err)
	if len(hooks) != 2 {
		t.Errorf("webhooks = %d, want 2", len(hooks))
	}
	must(t, ws.DeleteWebhook(ctx, h.ID))
	wantKind(t, ws.DeleteWebhook(ctx, h.ID), news.KindNotFound)
	if log, _ := ws.ListDeliveries(ctx, 0, 10); len(log) != 0 {
		// The pending "update" went with its endpoint too.
		t.Errorf("deliveries of a deleted webhook remain: %d", len(log))
	}
}

func testImportMap(t *testing.T, s news.Store) {
	is := s
	_, err := is.ImportMapping(ctx, "wordpress", "post", "12")
	wantKind(t, err, news.KindNotFound)
	must(t, is.SetImportMapping(ctx, "wordpress", "post", "12", 7))
	must(t, is.SetImportMapping(ctx, "wordpress", "post", "12", 8))
	id, err := is.ImportMapping(ctx, "wordpress", "post", "12")
	must(t, err)
	if id != 8 {
		t.Errorf("mapping = %d, want 8", id)
	}
	f := Seed(t, s)
	a := Publish(t, s, f.National, "Old story", "Body.", time.Hour, nil, f.Kim)
	must(t, is.AddImportRedirect(ctx, "/2019/05/old-story/", a.ID))
	got, err := is.ImportRedirect(ctx, "/2019/05/old-story/")
	must(t, err)
	if got != a.ID {
		t.Errorf("redirect = %d, want %d", got, a.ID)
	}
	c := news.StagedComment{Source: "wordpress", ExternalID: "5", ArticleID: a.ID, AuthorName: "Reader", Body: "Nice", CreatedAt: time.Now()}
	created, err := is.StageComment(ctx, c)
	must(t, err)
	again, err := is.StageComment(ctx, c)
	must(t, err)
	if !created || again {
		t.Errorf("StageComment created = %v then %v, want true then false", created, again)
	}
}
