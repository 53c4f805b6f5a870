package api_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"byline/internal/api"
	"byline/internal/news"
)

// The Admin API tells the client which HTML of the body the page does not
// show, stores pasted embed code as the embed's URL, and the published
// page shows the embed's placeholder with no script text.
func TestAdminAPIReportsRemovedHTML(t *testing.T) {
	app, c := newAdmin(t, news.RoleEditor)
	body := "Budget night.\n\nHere <script>alert('x')</script> it is <script>more()</script>.\n\n" +
		"<iframe width=\"560\" height=\"315\" src=\"https://www.youtube.com/embed/dQw4w9WgXcQ\" title=\"YouTube video player\" allowfullscreen></iframe>\n"
	var a api.AdminArticle
	code, e := c.call(t, "POST", "/api/v1/admin/articles", map[string]any{
		"headline": "Budget passes", "body": body, "section": "national/politics",
	}, &a)
	if code != http.StatusCreated {
		t.Fatalf("create: %d %+v", code, e)
	}
	if want := "removed: <script> (2), <iframe> (replaced by an embed)"; a.Removed != want {
		t.Errorf("removed = %q, want %q", a.Removed, want)
	}
	if len(a.RemovedHTML) != 2 || a.RemovedHTML[0].Tag != "script" || a.RemovedHTML[0].Count != 2 || a.RemovedHTML[1].Tag != "iframe" || !a.RemovedHTML[1].Embed {
		t.Errorf("removed_html = %+v, want script×2 and iframe replaced by an embed", a.RemovedHTML)
	}
	if strings.Contains(a.Body, "<iframe") || !strings.Contains(a.Body, "\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n") {
		t.Errorf("stored body = %q, want the iframe stored as the video's URL", a.Body)
	}
	id := strconv.FormatInt(a.ID, 10)
	var got api.AdminArticle
	if code, e := c.call(t, "PATCH", "/api/v1/admin/articles/"+id, map[string]any{"body": "Clean **text**.", "version": a.Version}, &got); code != 200 || got.Removed != "" || got.RemovedHTML == nil || len(got.RemovedHTML) != 0 {
		t.Fatalf("patch with clean body: %d %+v, removed %q %v; want nothing reported", code, e, got.Removed, got.RemovedHTML)
	}
	if code, e := c.call(t, "PATCH", "/api/v1/admin/articles/"+id, map[string]any{"body": body, "version": got.Version}, &got); code != 200 || got.Removed != "removed: <script> (2), <iframe> (replaced by an embed)" {
		t.Fatalf("patch: %d %+v, removed %q", code, e, got.Removed)
	}
	if code, e := c.call(t, "POST", "/api/v1/admin/articles/"+id+"/publish", nil, &got); code != 200 {
		t.Fatalf("publish: %d %+v", code, e)
	}
	u, err := url.Parse(got.URL)
	if err != nil {
		t.Fatal(err)
	}
	res, doc := app.Get(t, u.Path)
	if res.StatusCode != 200 {
		t.Fatalf("article page %s: %d", u.Path, res.StatusCode)
	}
	story := doc.Find(".story-body")
	if strings.Contains(story.Text(), "alert") || strings.Contains(story.Text(), "more()") {
		t.Errorf("script text reached the page: %q", story.Text())
	}
	box := story.Find(".embed-box[data-embed-frame]")
	if f, _ := box.Attr("data-embed-frame"); f != "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" {
		t.Errorf("embed frame = %q, want the youtube-nocookie player", f)
	}
	if story.Find("iframe").Length() != 0 {
		t.Errorf("the page loads an iframe before the reader asks")
	}
	csp := res.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "frame-src 'self' https://www.youtube-nocookie.com https://player.vimeo.com") {
		t.Errorf("CSP = %q, want frame-src with the embed player hosts", csp)
	}
}
