package storetest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"byline/internal/news"
)

func init() {
	register("MediaSearch", testMediaSearch)
	register("MediaDelete", testMediaDelete)
	register("MediaReplace", testMediaReplace)
}

func newMedia(t *testing.T, s news.Store, name, caption, credit string, by int64, at time.Time) news.Media {
	t.Helper()
	m := news.Media{Path: "2026/03/" + name + ".jpg", MIME: "image/jpeg", Width: 2000, Height: 1000, Bytes: 100, Alt: "Picture " + name,
		Caption: caption, Credit: credit, UploadedBy: by, CreatedAt: at,
		Renditions: []news.Rendition{{Path: "2026/03/" + name + "-480.jpg", Width: 480, Height: 240}, {Path: "2026/03/" + name + "-960.jpg", Width: 960, Height: 480}}}
	must(t, s.CreateMedia(ctx, &m))
	return m
}

func testMediaSearch(t *testing.T, s news.Store) {
	day := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	newMedia(t, s, "harbour", "Boats in the harbour at dawn", "Min-ji Park", 7, day)
	newMedia(t, s, "market", "The night market", "Staff photo", 8, day.Add(48*time.Hour))
	newMedia(t, s, "imported", "An archive print of the harbour", "Archive", 0, day.Add(-72*time.Hour))
	ids := func(q news.MediaQuery) string {
		t.Helper()
		items, total, err := s.ListMedia(ctx, q)
		must(t, err)
		if total != len(items) {
			t.Errorf("%+v: total %d, items %d", q, total, len(items))
		}
		var out []string
		for _, m := range items {
			out = append(out, strings.TrimSuffix(strings.TrimPrefix(m.Path, "2026/03/"), ".jpg"))
		}
		return strings.Join(out, ",")
	}
	for _, tc := range []struct {
		q    news.MediaQuery
		want string
	}{
		{news.MediaQuery{}, "market,harbour,imported"},
		{news.MediaQuery{Text: "HARBOUR"}, "harbour,imported"},
		{news.MediaQuery{Caption: "night"}, "market"},
		{news.MediaQuery{Caption: "park"}, ""},
		{news.MediaQuery{Credit: "park"}, "harbour"},
		{news.MediaQuery{Credit: "50%"}, ""},
		{news.MediaQuery{UploadedBy: 8}, "market"},
		{news.MediaQuery{UploadedBy: -1}, "imported"},
		{news.MediaQuery{From: day.Add(-time.Hour)}, "market,harbour"},
		{news.MediaQuery{From: day.Add(-time.Hour), Until: day.Add(time.Hour)}, "harbour"},
		{news.MediaQuery{Until: day}, "imported"},
		{news.MediaQuery{Text: "harbour", UploadedBy: 7, From: day.Add(-time.Hour)}, "harbour"},
	} {
		if got := ids(tc.q); got != tc.want {
			t.Errorf("ListMedia(%+v) = %q, want %q", tc.q, got, tc.want)
		}
	}
}

func testMediaDelete(t *testing.T, s news.Store) {
	f := Seed(t, s)
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	lead := newMedia(t, s, "lead", "", "", 1, at)
	inBody := newMedia(t, s, "inbody", "", "", 1, at)
	rend := newMedia(t, s, "rend", "", "", 1, at)
	free := newMedia(t, s, "free", "", "", 1, at)

	a := news.Article{SectionID: f.Politics.ID, Headline: "Lead user", Body: "Text.", Status: news.StatusDraft,
		Image: &news.Image{URL: lead.URL(), Alt: "x"}}
	must(t, s.CreateArticle(ctx, &a))
	b := news.Article{SectionID: f.Politics.ID, Headline: "Body user", Body: "See ![a picture](" + inBody.URL() + ") and ![small](" + news.MediaURL(rend.Renditions[0].Path) + ").",
		Status: news.StatusDraft}
	must(t, s.CreateArticle(ctx, &b))

	uses, err := s.MediaUsage(ctx, inBody)
	must(t, err)
	if len(uses) != 1 || uses[0].ArticleID != b.ID || uses[0].Headline != "Body user" || uses[0].Status != news.StatusDraft {
		t.Errorf("usage of the body image = %+v, want article %d", uses, b.ID)
	}
	for _, m := range []news.Media{lead, inBody, rend} {
		_, err := s.DeleteMedia(ctx, m.ID)
		wantKind(t, err, news.KindConflict)
		var in *news.MediaInUse
		if !errors.As(err, &in) || len(in.Uses) != 1 {
			t.Errorf("delete %s: error %v does not list the one article using it", m.Path, err)
		} else if !strings.Contains(news.PublicMessage(err), in.Uses[0].Headline) {
			t.Errorf("delete %s: message %q does not name %q", m.Path, news.PublicMessage(err), in.Uses[0].Headline)
		}
		if _, err := s.MediaByID(ctx, m.ID); err != nil {
			t.Errorf("refused delete of %s lost the record: %v", m.Path, err)
		}
	}
	// A draft of changes and a live-story entry count as uses too.
	inDraft := newMedia(t, s, "indraft", "", "", 1, at)
	inStory := newMedia(t, s, "instory", "", "", 1, at)
	live := news.Article{SectionID: f.Politics.ID, Headline: "Live one", Body: "Text.", Status: news.StatusPublished, PublishedAt: at}
	must(t, s.CreateArticle(ctx, &live))
	snap := live
	snap.Image = &news.Image{URL: inDraft.URL(), Alt: "x"}
	must(t, s.PutPendingDraft(ctx, &news.PendingDraft{ArticleID: live.ID, BaseVersion: live.Version, Snapshot: snap}))
	story := news.Story{Title: "Storm coverage", Slug: "storm-coverage", Status: news.StoryStatus("developing")}
	must(t, s.CreateStory(ctx, &story, 0))
	must(t, s.AddStoryEntry(ctx, &news.StoryEntry{StoryID: story.ID, Text: "The wind rose.", Image: &news.Image{URL: inStory.URL(), Alt: "Waves"}, EventAt: at, PublishedAt: at}))
	for _, tc := range []struct {
		m    news.Media
		want news.MediaUse
	}{
		{inDraft, news.MediaUse{ArticleID: live.ID, Headline: "Live one", Status: news.StatusPublished, Pending: true}},
		{inStory, news.MediaUse{StoryID: story.ID, Headline: "Storm coverage"}},
	} {
		_, err := s.DeleteMedia(ctx, tc.m.ID)
		var in *news.MediaInUse
		if !errors.As(err, &in) || len(in.Uses) != 1 || in.Uses[0] != tc.want {
			t.Errorf("delete of %s: %v, want it refused naming %+v", tc.m.Path, err, tc.want)
		}
	}

	got, err := s.DeleteMedia(ctx, free.ID)
	must(t, err)
	if got.Path != free.Path || len(got.Renditions) != 2 {
		t.Errorf("deleted = %+v, want the item with its renditions", got)
	}
	_, err = s.MediaByID(ctx, free.ID)
	wantKind(t, err, news.KindNotFound)
	_, err = s.DeleteMedia(ctx, free.ID)
	wantKind(t, err, news.KindNotFound)
}

func testMediaReplace(t *testing.T, s news.Store) {
	f := Seed(t, s)
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	m := newMedia(t, s, "old", "Caption kept", "Credit kept", 3, at)
	other := newMedia(t, s, "other", "", "", 3, at)
	lead := news.Article{SectionID: f.Politics.ID, Headline: "Uses it as lead", Body: "Text.", Status: news.StatusPublished, PublishedAt: at,
		Image: &news.Image{URL: m.URL(), Alt: "Typed alt", Width: m.Width, Height: m.Height, SrcSet: m.SrcSet()}}
	must(t, s.CreateArticle(ctx, &lead))
	body := news.Article{SectionID: f.Politics.ID, Headline: "Uses it in the body", Body: "![x](" + m.URL() + ") and ![y](" + news.MediaURL(m.Renditions[1].Path) + ")", Status: news.StatusDraft}
	must(t, s.CreateArticle(ctx, &body))
	unrelated := news.Article{SectionID: f.Politics.ID, Headline: "Other image", Body: "![z](" + other.URL() + ")", Status: news.StatusDraft}
	must(t, s.CreateArticle(ctx, &unrelated))

	nf := news.MediaFiles{Path: "2026/04/new.png", MIME: "image/png", Width: 1200, Height: 900, Bytes: 55,
		Renditions: []news.Rendition{{Path: "2026/04/new-480.png", Width: 480, Height: 360}, {Path: "2026/04/new-960.png", Width: 960, Height: 720}}}
	old, changed, err := s.ReplaceMedia(ctx, m.ID, nf)
	must(t, err)
	if old.Path != m.Path {
		t.Errorf("old = %s, want %s", old.Path, m.Path)
	}
	if len(changed) != 2 || changed[0] != lead.ID || changed[1] != body.ID {
		t.Errorf("changed = %v, want [%d %d]", changed, lead.ID, body.ID)
	}
	got, err := s.MediaByID(ctx, m.ID)
	must(t, err)
	if got.Path != nf.Path || got.MIME != "image/png" || got.Width != 1200 || len(got.Renditions) != 2 || got.Caption != "Caption kept" || got.Credit != "Credit kept" || got.UploadedBy != 3 {
		t.Errorf("after replace = %+v", got)
	}
	a, err := s.ArticleByID(ctx, lead.ID)
	must(t, err)
	if a.Image == nil || a.Image.URL != "/media/2026/04/new.png" || a.Image.Alt != "Typed alt" || a.Image.Width != 1200 || a.Image.Height != 900 || !strings.Contains(a.Image.SrcSet, "/media/2026/04/new-480.png 480w") {
		t.Errorf("lead image after replace = %+v", a.Image)
	}
	b, err := s.ArticleByID(ctx, body.ID)
	must(t, err)
	if want := "![x](/media/2026/04/new.png) and ![y](/media/2026/04/new-960.png)"; b.Body != want {
		t.Errorf("body after replace = %q, want %q", b.Body, want)
	}
	u, err := s.ArticleByID(ctx, unrelated.ID)
	must(t, err)
	if u.Body != unrelated.Body {
		t.Errorf("unrelated article changed: %q", u.Body)
	}
	for from, want := range map[string]string{m.Path: nf.Path, m.Renditions[0].Path: "2026/04/new-480.png", m.Renditions[1].Path: "2026/04/new-960.png"} {
		got, err := s.MediaRedirect(ctx, from)
		must(t, err)
		if got != want {
			t.Errorf("redirect %s = %s, want %s", from, got, want)
		}
	}
	_, err = s.MediaRedirect(ctx, nf.Path)
	wantKind(t, err, news.KindNotFound)

	// A second replacement sends the first names on to the newest files.
	nf2 := news.MediaFiles{Path: "2026/05/third.jpg", MIME: "image/jpeg", Width: 400, Height: 300, Bytes: 9, Renditions: []news.Rendition{}}
	_, _, err = s.ReplaceMedia(ctx, m.ID, nf2)
	must(t, err)
	for _, from := range []string{m.Path, m.Renditions[1].Path, nf.Path, "2026/04/new-480.png"} {
		got, err := s.MediaRedirect(ctx, from)
		must(t, err)
		if got != nf2.Path {
			t.Errorf("redirect %s = %s, want %s", from, got, nf2.Path)
		}
	}
	a, err = s.ArticleByID(ctx, lead.ID)
	must(t, err)
	if a.Image.URL != "/media/2026/05/third.jpg" || a.Image.SrcSet != "" {
		t.Errorf("lead image after second replace = %+v", a.Image)
	}

	_, _, err = s.ReplaceMedia(ctx, 999999, nf2)
	wantKind(t, err, news.KindNotFound)
	_, _, err = s.ReplaceMedia(ctx, m.ID, news.MediaFiles{Path: other.Path, MIME: "image/jpeg", Width: 1, Height: 1})
	wantKind(t, err, news.KindConflict)
	if again, _ := s.MediaByID(ctx, m.ID); again.Path != nf2.Path {
		t.Errorf("a refused replace changed the item: %s", again.Path)
	}

	// Deleting the item (once unused) drops its redirects.
	unpub := a
	unpub.Image = nil
	must(t, s.UpdateArticle(ctx, &unpub))
	bb, _ := s.ArticleByID(ctx, body.ID)
	bb.Body = "No picture."
	must(t, s.UpdateArticle(ctx, &bb))
	_, err = s.DeleteMedia(ctx, m.ID)
	must(t, err)
	_, err = s.MediaRedirect(ctx, m.Path)
	wantKind(t, err, news.KindNotFound)
}
