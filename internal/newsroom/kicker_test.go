package newsroom_test

import (
	"net/http"
	"strings"
	"testing"

	"byline/internal/news"
)

// The kicker is edited in the editor's form (a plain field: its input is
// named by its tag), shown in the revisions' diff, and a kicker that
// breaks its rules comes back as the form with what was typed and the
// reason, the stored article untouched.
func TestEditorKicker(t *testing.T) {
	h := newHarness(t)
	b, _ := h.signedIn(t, "ed@example.com", news.RoleEditor)
	form := h.articleForm("Assembly passes the budget", "Body.")
	form.Set("kicker", " Analysis ")
	if res, doc := b.post(t, "/admin/articles", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %q", res.StatusCode, doc.Find(".form-error").Text())
	}
	a := h.lastArticle(t)
	if a.Kicker != "Analysis" {
		t.Errorf("saved kicker = %q, want Analysis", a.Kicker)
	}
	res, doc := b.get(t, "/admin/articles/"+itoa(a.ID))
	if v, _ := doc.Find("input#kicker").Attr("value"); res.StatusCode != http.StatusOK || v != "Analysis" {
		t.Errorf("editor: %d, kicker input %q, want Analysis", res.StatusCode, v)
	}
	if doc.Find(`label[for="kicker"]`).Length() != 1 {
		t.Error("the kicker input has no label")
	}

	form.Set("version", itoa(int64(a.Version)))
	form.Set("action", "publish")
	if res, doc := b.post(t, "/admin/articles/"+itoa(a.ID), form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d %q", res.StatusCode, doc.Find(".form-error").Text())
	}
	a, _ = h.st.ArticleByID(ctx, a.ID)
	form.Set("version", itoa(int64(a.Version)))
	form.Set("action", "save")
	form.Set("kicker", "Exclusive")
	if res, doc := b.post(t, "/admin/articles/"+itoa(a.ID), form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d %q", res.StatusCode, doc.Find(".form-error").Text())
	}
	a, _ = h.st.ArticleByID(ctx, a.ID)
	if a.Kicker != "Exclusive" {
		t.Errorf("kicker after save = %q, want Exclusive", a.Kicker)
	}
	res, doc = b.get(t, "/admin/articles/"+itoa(a.ID)+"/revisions")
	if res.StatusCode != http.StatusOK || !strings.Contains(doc.Find(".diff-ins").Text(), "Kicker: Exclusive") || !strings.Contains(doc.Find(".diff-del").Text(), "Kicker: Analysis") {
		t.Errorf("revisions: %d, diff %q, want Kicker: Analysis replaced by Kicker: Exclusive", res.StatusCode, doc.Find(".diff").Text())
	}

	for _, bad := range []struct{ kicker, want string }{
		{strings.Repeat("x", 41), "longer than 40 characters"},
		{"Two\nlines", "one line"},
	} {
		form.Set("version", itoa(int64(a.Version)))
		form.Set("kicker", bad.kicker)
		form.Set("headline", "A headline typed with it")
		res, doc := b.post(t, "/admin/articles/"+itoa(a.ID), form)
		if res.StatusCode != http.StatusBadRequest && res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("kicker %q: status %d, want 400 or 422", bad.kicker, res.StatusCode)
		}
		if msg := doc.Find(".form-error").Text(); !strings.Contains(msg, bad.want) {
			t.Errorf("kicker %q: error %q, want it to say %q", bad.kicker, msg, bad.want)
		}
		if v, _ := doc.Find("input#headline").Attr("value"); v != "A headline typed with it" {
			t.Errorf("kicker %q: the form lost the typed headline (%q)", bad.kicker, v)
		}
		if got, _ := h.st.ArticleByID(ctx, a.ID); got.Kicker != "Exclusive" || got.Headline != "Assembly passes the budget" || got.Version != a.Version {
			t.Errorf("kicker %q: stored %q / %q v%d, want it untouched", bad.kicker, got.Kicker, got.Headline, got.Version)
		}
	}
}
