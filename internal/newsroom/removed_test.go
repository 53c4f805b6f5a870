package newsroom_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"byline/internal/news"
)

// The editor says which HTML of the body the page will not show: on a
// form save (the flash), on autosave (JSON) and in the preview (a header
// admin.js shows); pasted embed code is stored as the embed's URL.
func TestEditorReportsRemovedHTML(t *testing.T) {
	h := newHarness(t)
	b, _ := h.signedIn(t, "ada@example.com", news.RoleEditor)
	body := "Text <script>alert(1)</script> here.\n\n<iframe src=\"https://player.vimeo.com/video/76979871\" allowfullscreen></iframe>\n"
	res, _ := b.post(t, "/admin/articles", h.articleForm("Council vote", body))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d, want 303", res.StatusCode)
	}
	loc, _ := url.Parse(res.Header.Get("Location"))
	_, doc := b.get(t, loc.RequestURI())
	flash := doc.Find("p.flash").Text()
	if want := "removed: <script>, <iframe> (replaced by an embed)"; !strings.Contains(flash, want) {
		t.Errorf("flash = %q, want it to contain %q", flash, want)
	}
	a := h.lastArticle(t)
	if strings.Contains(a.Body, "<iframe") || !strings.Contains(a.Body, "https://vimeo.com/76979871") {
		t.Errorf("stored body = %q, want the iframe stored as the video's URL", a.Body)
	}
	if strings.Contains(a.BodyText, "alert") {
		t.Errorf("plain text = %q, holds the script's text", a.BodyText)
	}

	form := h.articleForm("Council vote", "Now <style>p{}</style> and <b>bold</b>.")
	form.Set("version", itoa(int64(a.Version)))
	req, _ := http.NewRequest("POST", h.URL+"/admin/articles/"+itoa(a.ID)+"/autosave", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", b.csrf)
	r2, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var saved struct {
		Removed  string `json:"removed"`
		Elements []struct {
			Tag   string `json:"tag"`
			Count int    `json:"count"`
		} `json:"removed_elements"`
	}
	json.NewDecoder(r2.Body).Decode(&saved)
	r2.Body.Close()
	if r2.StatusCode != http.StatusOK || saved.Removed != "removed: <style>, <b>" || len(saved.Elements) != 2 || saved.Elements[0].Tag != "style" {
		t.Errorf("autosave: %d %+v, want 200 reporting <style> and <b>", r2.StatusCode, saved)
	}

	pres, pdoc := b.post(t, "/admin/preview", h.articleForm("Council vote", body))
	if got := pres.Header.Get("X-Byline-Removed"); got != "removed: <script>, <iframe> (replaced by an embed)" {
		t.Errorf("preview X-Byline-Removed = %q", got)
	}
	if f, _ := pdoc.Find(".embed-vimeo .embed-box").Attr("data-embed-frame"); f != "https://player.vimeo.com/video/76979871?dnt=1" {
		t.Errorf("preview embed frame = %q, want the Vimeo player placeholder", f)
	}
	if strings.Contains(pdoc.Find("article").Text(), "alert(1)") {
		t.Error("preview shows the script's text")
	}
}
