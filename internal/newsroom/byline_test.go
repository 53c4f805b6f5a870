package newsroom_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"byline/internal/news"
)

// An admin links a staff account to its byline in /admin users; the
// editor then offers it first, marked "(you)", and a new article by the
// account has it as its byline. Refusals store nothing.
func TestLinkBylineToAccount(t *testing.T) {
	h := newHarness(t)
	adm, _ := h.signedIn(t, "ada@example.com", news.RoleAdmin)
	rep, repUser := h.signedIn(t, "reporter@example.com", news.RoleEditor)
	other, otherUser := h.signedIn(t, "other@example.com", news.RoleEditor)

	// The new-article form of an unlinked account preselects nobody.
	_, doc := rep.get(t, "/admin/articles/new")
	if n := doc.Find("#authors option[selected]").Length(); n != 0 {
		t.Errorf("unlinked account: %d authors preselected, want 0", n)
	}

	_, doc = adm.get(t, "/admin/users")
	if doc.Find("#byline-"+itoa(repUser.ID)+" option").Length() != 3 {
		t.Fatalf("the byline choice lists %d options, want none + 2 authors", doc.Find("#byline-"+itoa(repUser.ID)+" option").Length())
	}
	link := func(c *staffClient, id int64, author string) int {
		res, _ := c.post(t, "/admin/users/"+itoa(id), url.Values{"action": {"byline"}, "author_id": {author}})
		return res.StatusCode
	}
	if st := link(adm, repUser.ID, itoa(h.fix.Lee.ID)); st != http.StatusSeeOther {
		t.Fatalf("link: %d", st)
	}
	if u, _ := h.st.StaffByID(ctx, repUser.ID); u.AuthorID != h.fix.Lee.ID {
		t.Fatalf("author id %d after linking, want %d", u.AuthorID, h.fix.Lee.ID)
	}
	_, doc = adm.get(t, "/admin/users")
	if !strings.Contains(doc.Find("tbody tr").FilterFunction(func(_ int, s *goquery.Selection) bool {
		return strings.Contains(s.Text(), "reporter@example.com")
	}).Text(), "Lee Soo-min") {
		t.Error("the users list does not show the linked byline")
	}

	for _, c := range []struct {
		name   string
		who    *staffClient
		id     int64
		author string
		status int
	}{
		{"not a number", adm, repUser.ID, "lee", http.StatusBadRequest},
		{"negative", adm, repUser.ID, "-3", http.StatusBadRequest},
		{"no such author", adm, repUser.ID, "99999", http.StatusBadRequest},
		{"taken by another account", adm, otherUser.ID, itoa(h.fix.Lee.ID), http.StatusConflict},
		{"not an admin", other, repUser.ID, itoa(h.fix.Kim.ID), http.StatusForbidden},
	} {
		if st := link(c.who, c.id, c.author); st != c.status {
			t.Errorf("%s: %d, want %d", c.name, st, c.status)
		}
	}
	if u, _ := h.st.StaffByID(ctx, repUser.ID); u.AuthorID != h.fix.Lee.ID {
		t.Errorf("refusals changed the link to %d", u.AuthorID)
	}
	if u, _ := h.st.StaffByID(ctx, otherUser.ID); u.AuthorID != 0 {
		t.Errorf("the refused link was stored: %d", u.AuthorID)
	}

	// The linked reporter: their byline first, marked, and chosen.
	_, doc = rep.get(t, "/admin/articles/new")
	first := doc.Find("#authors option").First()
	if v, _ := first.Attr("value"); v != itoa(h.fix.Lee.ID) || !strings.Contains(first.Text(), "(you)") {
		t.Errorf("first author option %q (%s), want Lee Soo-min (you)", first.Text(), v)
	}
	if sel := doc.Find("#authors option[selected]"); sel.Length() != 1 || sel.AttrOr("value", "") != itoa(h.fix.Lee.ID) {
		t.Errorf("preselected %d authors, want only the reporter's byline", sel.Length())
	}

	// A saved byline keeps its order in the picker (the form sends it so).
	f := h.articleForm("Two bylines", "Body.")
	f["authors"] = []string{itoa(h.fix.Lee.ID), itoa(h.fix.Kim.ID)}
	rep.post(t, "/admin/articles", f)
	a := h.lastArticle(t)
	f = h.articleForm("Two bylines", "Body.")
	f["authors"] = []string{itoa(h.fix.Kim.ID), itoa(h.fix.Lee.ID)}
	f.Set("version", itoa(int64(a.Version)))
	rep.post(t, "/admin/articles/"+itoa(a.ID), f)
	_, doc = rep.get(t, "/admin/articles/"+itoa(a.ID))
	var order []string
	doc.Find("#authors option[selected]").Each(func(_ int, s *goquery.Selection) { order = append(order, s.AttrOr("value", "")) })
	if got, want := strings.Join(order, ","), itoa(h.fix.Kim.ID)+","+itoa(h.fix.Lee.ID); got != want {
		t.Errorf("selected options in order %s, want %s (the byline order)", got, want)
	}

	// Unlinking.
	if st := link(adm, repUser.ID, "0"); st != http.StatusSeeOther {
		t.Fatalf("unlink: %d", st)
	}
	if u, _ := h.st.StaffByID(ctx, repUser.ID); u.AuthorID != 0 {
		t.Errorf("author id %d after unlinking", u.AuthorID)
	}
}
