package newsroom_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"byline/internal/news"
)

// The editor's buttons say what they do on a live article; Unpublish asks
// first (a confirmation page without script); the slug follows the
// headline until the first publication; a conflict says its sentence once.
func TestDeskEditorActions(t *testing.T) {
	h := newHarness(t)
	ed, _ := h.signedIn(t, "desk@example.com", news.RoleEditor)
	ed.post(t, "/admin/articles", h.articleForm("Ferry timetable changes", "Body."))
	a := h.lastArticle(t)
	if a.Slug != "ferry-timetable-changes" {
		t.Fatalf("first slug %q", a.Slug)
	}
	// A new headline before publication: the slug follows it.
	f := h.articleForm("Ferry timetable changes for winter", "Body.")
	f.Set("version", itoa(int64(a.Version)))
	f.Set("slug", a.Slug)
	if res, _ := ed.post(t, "/admin/articles/"+itoa(a.ID), f); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", res.StatusCode)
	}
	a, _ = h.st.ArticleByID(ctx, a.ID)
	if a.Slug != "ferry-timetable-changes-for-winter" {
		t.Errorf("slug %q after the headline changed before publication, want it to follow", a.Slug)
	}
	// A slug chosen by hand stays.
	f = h.articleForm("Ferry timetable changes for winter", "Body.")
	f.Set("version", itoa(int64(a.Version)))
	f.Set("slug", "winter-ferries")
	ed.post(t, "/admin/articles/"+itoa(a.ID), f)
	f = h.articleForm("Winter ferry timetable", "Body.")
	a, _ = h.st.ArticleByID(ctx, a.ID)
	f.Set("version", itoa(int64(a.Version)))
	f.Set("slug", "winter-ferries")
	ed.post(t, "/admin/articles/"+itoa(a.ID), f)
	if a, _ = h.st.ArticleByID(ctx, a.ID); a.Slug != "winter-ferries" {
		t.Errorf("hand-chosen slug became %q", a.Slug)
	}
	// Published: the slug is fixed.
	f = h.articleForm("Winter ferry timetable", "Body.")
	f.Set("version", itoa(int64(a.Version)))
	f.Set("slug", "")
	f.Set("action", "publish")
	ed.post(t, "/admin/articles/"+itoa(a.ID), f)
	a, _ = h.st.ArticleByID(ctx, a.ID)
	fixed := a.Slug
	f = h.articleForm("Winter ferry timetable, revised", "Body.")
	f.Set("version", itoa(int64(a.Version)))
	f.Set("slug", fixed)
	ed.post(t, "/admin/articles/"+itoa(a.ID), f)
	if a, _ = h.st.ArticleByID(ctx, a.ID); a.Slug != fixed || a.Status != news.StatusPublished {
		t.Errorf("after publication: slug %q status %s, want %q kept", a.Slug, a.Status, fixed)
	}

	// The live article's buttons.
	_, doc := ed.get(t, "/admin/articles/"+itoa(a.ID))
	if got := strings.TrimSpace(doc.Find("#save").Text()); got != "Update live article" {
		t.Errorf("save button on a live article says %q", got)
	}
	if doc.Find("#publish").Length() != 0 {
		t.Error(`a live article still offers "publish" beside the update button`)
	}
	if _, ok := doc.Find("#unpublish").Attr("data-confirm"); !ok {
		t.Error("Unpublish does not ask in the page")
	}
	// Unpublish without confirmation only asks.
	res, doc := ed.post(t, "/admin/articles/"+itoa(a.ID), url.Values{"action": {"unpublish"}})
	if res.StatusCode != http.StatusOK || doc.Find("#confirm-unpublish").Length() != 1 {
		t.Fatalf("unpublish without confirm: %d, confirmation form %d", res.StatusCode, doc.Find("#confirm-unpublish").Length())
	}
	if a, _ = h.st.ArticleByID(ctx, a.ID); a.Status != news.StatusPublished {
		t.Fatalf("the article was unpublished without confirmation (%s)", a.Status)
	}
	if res, _ := ed.post(t, "/admin/articles/"+itoa(a.ID), url.Values{"action": {"unpublish"}, "confirm": {"yes"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirmed unpublish: %d", res.StatusCode)
	}
	if a, _ = h.st.ArticleByID(ctx, a.ID); a.Status != news.StatusDraft {
		t.Errorf("after the confirmed unpublish: %s", a.Status)
	}
}

func TestConflictSaysItOnce(t *testing.T) {
	h := newHarness(t)
	ann, _ := h.signedIn(t, "ann@example.com", news.RoleEditor)
	bob, _ := h.signedIn(t, "bob@example.com", news.RoleEditor)
	ann.post(t, "/admin/articles", h.articleForm("Shared", "One."))
	a := h.lastArticle(t)
	for i, c := range []*staffClient{ann, bob} {
		f := h.articleForm("Shared", "One, by "+string(rune('A'+i)))
		f.Set("version", itoa(int64(a.Version)))
		res, doc := c.post(t, "/admin/articles/"+itoa(a.ID), f)
		if i == 1 {
			if res.StatusCode != http.StatusConflict {
				t.Fatalf("second save: %d", res.StatusCode)
			}
			if n := strings.Count(doc.Find("main").Text(), "your changes were not saved"); n != 1 {
				t.Errorf("the conflict page says its sentence %d times, want once", n)
			}
		}
	}
}
