package newsroom_test

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"byline/internal/e2e/browser"
	"byline/internal/news"
)

// The editor (with its upload box), the media library and the comment
// moderation pages (rules, a rule's form, the form refused with its
// error, appeals, the decisions log, an article's "why") are valid HTML
// by the Nu HTML Checker. Run: go test ./internal/newsroom -run
// HTMLValid (needs java and vnu.jar: npm ci --prefix tools, or
// BYLINE_VNU_JAR; skipped without them unless CI=true).
func TestAdminMediaHTMLValid(t *testing.T) {
	browser.RequireNu(t)
	h := newHarness(t)
	b, u := h.signedIn(t, "ed@example.com", news.RoleEditor)
	m := news.Media{Path: "2026/12/abc.jpg", MIME: "image/jpeg", Width: 1600, Height: 900, Bytes: 10, Alt: "Boats in the harbour",
		Caption: "At dawn", Credit: "Photo: Byline", UploadedBy: u.ID, Renditions: []news.Rendition{{Path: "2026/12/abc-480.jpg", Width: 480, Height: 270}}}
	if err := h.st.CreateMedia(ctx, &m); err != nil {
		t.Fatal(err)
	}
	form := h.articleForm("Harbour story", "Text.")
	form.Set("image_url", m.URL())
	form.Set("image_alt", m.Alt)
	if res, _ := b.post(t, "/admin/articles", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d", res.StatusCode)
	}
	a := h.lastArticle(t)
	// A moderation rule, so that the list, its form and its versions
	// have content.
	if res, _ := b.post(t, "/admin/comments/rules", url.Values{"name": {"Court cases"}, "action": {"premoderate"}, "clause": {"4"},
		"message": {"Read before they appear."}, "flag": {news.FlagCourtCase}, "tags": {"Court  Case, trial"}, "from": {"22:00"}, "until": {"06:00"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create rule: %d", res.StatusCode)
	}
	rules, err := h.st.ModRules(ctx)
	if err != nil || len(rules) == 0 {
		t.Fatalf("rules: %v (%d)", err, len(rules))
	}
	rid := itoa(rules[len(rules)-1].ID)
	// A removed comment with its decision and an open appeal, for the
	// appeals page and the decisions log.
	rd := news.Reader{Provider: "x", Subject: "writer", Name: "Writer", CreatedAt: time.Now().Add(-48 * time.Hour)}
	mustDo(t, h.st.UpsertReader(ctx, &rd))
	cm := news.Comment{ArticleID: a.ID, ReaderID: rd.ID, AuthorName: "Writer", Body: "A pointed question", Status: news.CommentApproved, CreatedAt: time.Now()}
	mustDo(t, h.st.CreateComment(ctx, &cm))
	mustDo(t, h.st.SetCommentStatus(ctx, cm.ID, news.CommentRemoved, "2"))
	mustDo(t, h.st.AddModerationEntry(ctx, &news.ModerationEntry{Actor: "first@example.com", Action: "remove", CommentID: cm.ID, ReaderID: rd.ID, ArticleID: a.ID,
		Clause: "2", Note: "The comment insults another reader.", DecisionID: "html-dec-1", PolicyVersion: 1, CreatedAt: time.Now()}))
	mustDo(t, h.st.CreateAppeal(ctx, &news.Appeal{DecisionID: "html-dec-1", CommentID: cm.ID, ReaderID: rd.ID, Reason: "It was a fair question.", CreatedAt: time.Now()},
		&news.ModerationEntry{Actor: "reader", Action: "appeal", CommentID: cm.ID, Note: "appealed", Ref: "html-dec-1"}))
	// A running story with an entry of each sort (an article, a pinned
	// update with an image) and a saved tracker, for their admin pages.
	story := news.Story{Title: "Harbour dispute", Standfirst: "Dockers and the port authority.", Summary: "- Talks **resumed**.", Live: true,
		Status: news.StoryDeveloping, Tags: []string{"harbour"}}
	mustDo(t, h.st.CreateStory(ctx, &story, u.ID))
	mustDo(t, h.st.AddStoryEntry(ctx, &news.StoryEntry{StoryID: story.ID, ArticleID: a.ID}))
	entry := news.StoryEntry{StoryID: story.ID, Kind: news.EntryKeyEvent, Text: "The port authority **offers** a new contract.", Pinned: true,
		Image: &news.Image{URL: m.URL(), Alt: m.Alt}}
	mustDo(t, h.st.AddStoryEntry(ctx, &entry))
	tr := news.Tracker{Title: "Harbour watch", Phrases: []string{"harbour", "항구"}, Interval: news.IntervalWeek, Measure: news.MeasureArticles, Buckets: 12, Published: true}
	mustDo(t, h.st.CreateTracker(ctx, &tr))
	pages := []struct {
		name, path string
		status     int
	}{
		{"stories", "/admin/stories", 200},
		{"story", "/admin/stories/" + itoa(story.ID), 200},
		{"story-entry", "/admin/stories/" + itoa(story.ID) + "/entries/" + itoa(entry.ID), 200},
		{"trackers", "/admin/trackers", 200},
		{"trackers-explore", "/admin/trackers?phrase=harbour&phrase=%ED%95%AD%EA%B5%AC&interval=day&buckets=14&measure=occurrences&share=1", 200},
		{"tracker", "/admin/trackers/" + itoa(tr.ID), 200},
		{"editor-new", "/admin/articles/new", 200},
		{"editor", "/admin/articles/" + itoa(a.ID), 200},
		{"media", "/admin/media", 200},
		{"media-search", "/admin/media?q=boats&credit=byline&uploader=" + itoa(u.ID) + "&from=2026-01-01&until=2030-01-01", 200},
		{"media-bad-date", "/admin/media?from=nonsense", 400},
		{"comments-rules", "/admin/comments/rules", 200},
		{"comments-rule", "/admin/comments/rules/" + rid, 200},
		{"comments-appeals", "/admin/comments/appeals", 200},
		{"comments-log", "/admin/comments/log", 200},
		{"comments-article", "/admin/comments/articles/" + itoa(a.ID), 200},
		{"comments-queue", "/admin/comments", 200},
	}
	dir := t.TempDir()
	var files []string
	for _, p := range pages {
		req, _ := http.NewRequest("GET", h.URL+p.path, nil)
		res, err := b.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != p.status {
			t.Errorf("%s: status %d, want %d", p.path, res.StatusCode, p.status)
		}
		f := filepath.Join(dir, p.name+".html")
		if err := os.WriteFile(f, body, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	// The editor's preview (of a stored article: banner, story page
	// parts) is a whole page too.
	form.Set("csrf", b.csrf)
	req, _ := http.NewRequest("POST", h.URL+"/admin/preview?id="+itoa(a.ID), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", h.URL)
	res, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("preview: status %d, want 200", res.StatusCode)
	}
	f := filepath.Join(dir, "preview.html")
	if err := os.WriteFile(f, body, 0o644); err != nil {
		t.Fatal(err)
	}
	files = append(files, f)
	if body, _ := os.ReadFile(filepath.Join(dir, "comments-appeals.html")); !bytes.Contains(body, []byte("It was a fair question.")) {
		t.Error("the appeals page checked lacks the open appeal")
	}
	// The rule forms sent back with their error (a new rule without a
	// clause; a version saved over meanwhile).
	for _, p := range []struct {
		name, path string
		form       url.Values
		status     int
	}{
		{"comments-rules-error", "/admin/comments/rules", url.Values{"name": {"No clause"}, "action": {"closed"}, "message": {"Closed."}}, 400},
		{"comments-rule-conflict", "/admin/comments/rules/" + rid + "/save", url.Values{"name": {"Court cases"}, "action": {"closed"}, "clause": {"4"},
			"message": {"Closed."}, "version": {"7"}}, 409},
	} {
		p.form.Set("csrf", b.csrf)
		req, _ := http.NewRequest("POST", h.URL+p.path, strings.NewReader(p.form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", h.URL)
		res, err := b.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != p.status || !bytes.Contains(body, []byte(`class="form-error"`)) {
			t.Errorf("%s: status %d, want %d with the form's error", p.name, res.StatusCode, p.status)
		}
		f := filepath.Join(dir, p.name+".html")
		if err := os.WriteFile(f, body, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	browser.NuCheck(t, files)
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
