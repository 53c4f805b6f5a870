package storetest

import (
	"testing"
	"time"

	"byline/internal/news"
)

func init() { register("MediaSetRenditions", testMediaSetRenditions) }

// An item stored without renditions gets them recorded once; the
// articles showing it as lead without a srcset get one, others are left.
func testMediaSetRenditions(t *testing.T, s news.Store) {
	f := Seed(t, s)
	at := time.Date(2019, 3, 1, 0, 0, 0, 0, time.UTC)
	m := news.Media{Path: "2019/03/old.jpg", MIME: "image/jpeg", Width: 1200, Height: 800, Bytes: 100, Alt: "Old", CreatedAt: at, Renditions: []news.Rendition{}}
	must(t, s.CreateMedia(ctx, &m))
	lead := news.Article{SectionID: f.Politics.ID, Headline: "Old lead", Body: "Text.", Status: news.StatusPublished, PublishedAt: at,
		Image: &news.Image{URL: m.URL(), Alt: "Old", Width: 1200, Height: 800}}
	must(t, s.CreateArticle(ctx, &lead))
	typed := news.Article{SectionID: f.Politics.ID, Headline: "Own srcset", Body: "Text.", Status: news.StatusDraft,
		Image: &news.Image{URL: m.URL(), Alt: "Old", SrcSet: "/media/x-1.jpg 1w"}}
	must(t, s.CreateArticle(ctx, &typed))
	before, err := s.ArticleByID(ctx, lead.ID)
	must(t, err)

	_, err = s.SetMediaRenditions(ctx, m.ID, nil)
	wantKind(t, err, news.KindInvalid)
	_, err = s.SetMediaRenditions(ctx, m.ID+1000, []news.Rendition{{Path: "x", Width: 1}})
	wantKind(t, err, news.KindNotFound)

	rs := []news.Rendition{{Path: "2019/03/old-ab-480.jpg", Width: 480, Height: 320, Bytes: 10}, {Path: "2019/03/old-ab-960.jpg", Width: 960, Height: 640, Bytes: 20}}
	changed, err := s.SetMediaRenditions(ctx, m.ID, rs)
	must(t, err)
	if len(changed) != 1 || changed[0] != lead.ID {
		t.Errorf("changed = %v, want [%d]", changed, lead.ID)
	}
	got, err := s.MediaByID(ctx, m.ID)
	must(t, err)
	want := "/media/2019/03/old-ab-480.jpg 480w, /media/2019/03/old-ab-960.jpg 960w, /media/2019/03/old.jpg 1200w"
	if got.SrcSet() != want {
		t.Errorf("media srcset = %q, want %q", got.SrcSet(), want)
	}
	a, err := s.ArticleByID(ctx, lead.ID)
	must(t, err)
	if a.Image == nil || a.Image.SrcSet != want {
		t.Errorf("lead article image = %+v, want srcset %q", a.Image, want)
	}
	if !a.ModifiedAt.Equal(before.ModifiedAt) {
		t.Errorf("modified_at %v, was %v: renditions are no edit", a.ModifiedAt, before.ModifiedAt)
	}
	o, err := s.ArticleByID(ctx, typed.ID)
	must(t, err)
	if o.Image == nil || o.Image.SrcSet != "/media/x-1.jpg 1w" {
		t.Errorf("an article with its own srcset was changed: %+v", o.Image)
	}

	// A second set (another server made them too) is refused; the first stays.
	_, err = s.SetMediaRenditions(ctx, m.ID, []news.Rendition{{Path: "2019/03/old-cd-480.jpg", Width: 480, Height: 320}})
	wantKind(t, err, news.KindConflict)
	got, err = s.MediaByID(ctx, m.ID)
	must(t, err)
	if got.SrcSet() != want {
		t.Errorf("after a refused second set, srcset = %q, want %q", got.SrcSet(), want)
	}
}
