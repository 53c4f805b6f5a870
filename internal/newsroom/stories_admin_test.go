package newsroom_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"byline/internal/news"
	"byline/internal/store/storetest"
)

// TestStoriesAdmin: an editor creates a story, edits it (a new summary
// version), adds an update and an article; the reader page shows them at
// once; bad input is refused with the form kept and nothing stored.
func TestStoriesAdmin(t *testing.T) {
	h := newHarness(t)
	b, _ := h.signedIn(t, "ed@byline.example", news.RoleEditor)

	res, doc := b.get(t, "/admin/stories")
	if res.StatusCode != http.StatusOK || doc.Find("form[action='/admin/stories']").Length() != 1 {
		t.Fatalf("stories page: status %d, no create form", res.StatusCode)
	}
	res, _ = b.post(t, "/admin/stories", url.Values{"title": {"Port strike"}, "summary": {"Dockers walked out."}, "status": {"developing"},
		"section_id": {itoa(h.fix.Business.ID)}, "tags": {"ports, labour"}, "live": {"1"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create story: status %d, want 303", res.StatusCode)
	}
	st, err := h.st.StoryBySlug(ctx, "port-strike")
	if err != nil {
		t.Fatal(err)
	}
	if !st.Live || st.SectionID != h.fix.Business.ID || strings.Join(st.Tags, ",") != "ports,labour" {
		t.Errorf("stored story = %+v", st)
	}
	if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, "/admin/stories/"+itoa(st.ID)) {
		t.Errorf("redirect to %q", loc)
	}
	edit := "/admin/stories/" + itoa(st.ID)

	// The reader page is cached now; an entry added in the newsroom shows
	// on it at once.
	rb := h.client()
	rb.get(t, st.URL())
	res, _ = b.post(t, edit+"/entries", url.Values{"kind": {"key"}, "text": {"Talks resume at noon."}, "event_at": {"2026-12-05T12:00"}, "pinned": {"1"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add entry: status %d", res.StatusCode)
	}
	_, doc = rb.get(t, st.URL())
	if !strings.Contains(doc.Find("ol.rs-entries").Text(), "Talks resume at noon.") {
		t.Error("the reader page does not show the entry added in the newsroom")
	}
	es, err := h.st.StoryEntries(ctx, news.EntryQuery{StoryID: st.ID})
	if err != nil || len(es) != 1 || es[0].Kind != news.EntryKeyEvent || !es[0].Pinned || !es[0].EventAt.Equal(time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)) {
		t.Fatalf("entries = %+v (%v)", es, err)
	}

	// Editing an entry: the reader page follows; a bad time is refused
	// with the form kept.
	entryURL := edit + "/entries/" + itoa(es[0].ID)
	if res, doc := b.get(t, entryURL); res.StatusCode != http.StatusOK || doc.Find("#en-event").AttrOr("value", "") != "2026-12-05T12:00" {
		t.Fatalf("entry form: status %d, time %q", res.StatusCode, doc.Find("#en-event").AttrOr("value", ""))
	}
	res, doc = b.post(t, entryURL, url.Values{"kind": {"update"}, "text": {"Talks resume at one."}, "event_at": {"noon"}})
	if res.StatusCode != http.StatusBadRequest || doc.Find("#en-text").Text() != "Talks resume at one." {
		t.Errorf("bad time on edit: status %d, text kept %q", res.StatusCode, doc.Find("#en-text").Text())
	}
	res, _ = b.post(t, entryURL, url.Values{"kind": {"update"}, "text": {"Talks resume at one."}, "event_at": {"2026-12-05T13:00"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save entry: status %d", res.StatusCode)
	}
	_, doc = rb.get(t, st.URL())
	if !strings.Contains(doc.Find("ol.rs-entries").Text(), "Talks resume at one.") {
		t.Error("the reader page does not show the edited entry")
	}
	if res, _ := b.get(t, edit+"/entries/999999"); res.StatusCode != http.StatusNotFound {
		t.Errorf("no such entry: status %d", res.StatusCode)
	}

	// An article from the editor's box returns to the editor.
	a := storetest.Publish(t, h.st, h.fix.Business, "Dockers strike at Busan port", "Ports and labour: the strike began.", time.Hour, []string{"ports"})
	res, _ = b.post(t, edit+"/entries", url.Values{"article_id": {itoa(a.ID)}, "return": {"/admin/articles/" + itoa(a.ID)}})
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/articles/"+itoa(a.ID)+"?done=") {
		t.Errorf("add article from the editor: status %d, to %q", res.StatusCode, loc)
	}
	// A return path elsewhere is ignored.
	b2 := storetest.Publish(t, h.st, h.fix.Business, "Second", "x", time.Hour, nil)
	res, _ = b.post(t, edit+"/entries", url.Values{"article_id": {itoa(b2.ID)}, "return": {"https://evil.example/"}})
	if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, edit) {
		t.Errorf("foreign return path followed: %q", loc)
	}

	// Edit: a new summary version.
	_, doc = b.get(t, edit)
	version := doc.Find("input[name=version]").AttrOr("value", "")
	res, _ = b.post(t, edit, url.Values{"title": {"Port strike"}, "summary": {"Dockers walked out; talks resumed."}, "status": {"developing"},
		"tags": {"ports"}, "live": {"1"}, "version": {version}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save story: status %d", res.StatusCode)
	}
	vs, _ := h.st.StorySummaries(ctx, st.ID)
	if len(vs) != 2 {
		t.Errorf("summary versions = %d, want 2", len(vs))
	}
	_, doc = b.get(t, edit)
	if n := doc.Find(".summary-versions li").Length(); n != 2 {
		t.Errorf("the edit page lists %d versions, want 2", n)
	}

	// Refusals: each answers with its status and a message, keeps what
	// was typed, and stores nothing.
	before, _ := h.st.CountStoryEntries(ctx, news.EntryQuery{StoryID: st.ID})
	for _, c := range []struct {
		name string
		form url.Values
		code int
	}{
		{"empty", url.Values{"text": {"  "}}, http.StatusBadRequest},
		{"bad kind", url.Values{"text": {"x1"}, "kind": {"rumour"}}, http.StatusBadRequest},
		{"embed not allowed", url.Values{"text": {"x2"}, "embed": {"https://evil.example/video"}}, http.StatusBadRequest},
		{"bad time", url.Values{"text": {"x3"}, "event_at": {"yesterday"}}, http.StatusBadRequest},
		{"image without alt", url.Values{"text": {"x4"}, "image_url": {"/media/a.jpg"}}, http.StatusBadRequest},
		{"no such article", url.Values{"article_id": {"999999"}}, http.StatusNotFound},
		{"article twice", url.Values{"article_id": {itoa(a.ID)}}, http.StatusConflict},
		{"article junk", url.Values{"article_id": {"abc"}, "text": {"kept text"}}, http.StatusBadRequest},
	} {
		res, doc := b.post(t, edit+"/entries", c.form)
		if res.StatusCode != c.code {
			t.Errorf("%s: status %d, want %d", c.name, res.StatusCode, c.code)
			continue
		}
		if doc.Find(".form-error").Length() == 0 {
			t.Errorf("%s: no error message on the page", c.name)
		}
		if txt := c.form.Get("text"); strings.TrimSpace(txt) != "" && doc.Find("#en-text").Text() != txt {
			t.Errorf("%s: the form lost the text (%q)", c.name, doc.Find("#en-text").Text())
		}
	}
	if after, _ := h.st.CountStoryEntries(ctx, news.EntryQuery{StoryID: st.ID}); after != before {
		t.Errorf("refused entries stored: %d entries, want %d", after, before)
	}
	res, doc = b.post(t, "/admin/stories", url.Values{"title": {" "}, "standfirst": {"kept"}})
	if res.StatusCode != http.StatusBadRequest || doc.Find("#st-standfirst").Text() != "kept" {
		t.Errorf("story without title: status %d, standfirst %q", res.StatusCode, doc.Find("#st-standfirst").Text())
	}
	res, _ = b.post(t, "/admin/stories", url.Values{"title": {"Port strike"}})
	if res.StatusCode != http.StatusConflict {
		t.Errorf("duplicate slug: status %d, want 409", res.StatusCode)
	}
	res, doc = b.post(t, edit, url.Values{"title": {"Overwrite"}, "version": {"1"}})
	if res.StatusCode != http.StatusConflict || doc.Find("#st-title").AttrOr("value", "") != "Overwrite" {
		t.Errorf("stale save: status %d, title kept %q", res.StatusCode, doc.Find("#st-title").AttrOr("value", ""))
	}
	if res, _ := b.get(t, "/admin/stories/999999"); res.StatusCode != http.StatusNotFound {
		t.Errorf("no such story: status %d", res.StatusCode)
	}
	if res, _ := b.post(t, edit+"/entries/999999/delete", url.Values{}); res.StatusCode != http.StatusNotFound {
		t.Errorf("delete no such entry: status %d", res.StatusCode)
	}
	// Without the CSRF token nothing is written.
	res, _ = b.post(t, edit+"/entries", url.Values{"text": {"forged"}, "csrf": {"wrong"}})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("forged add: status %d, want 403", res.StatusCode)
	}
	// A contributor may add entries but not create stories.
	c, _ := h.signedIn(t, "rep@byline.example", news.RoleContributor)
	c.get(t, "/admin/")
	if res, _ := c.post(t, "/admin/stories", url.Values{"title": {"Mine"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("contributor creates a story: status %d, want 403", res.StatusCode)
	}
	if res, _ := c.post(t, edit+"/entries", url.Values{"text": {"From the scene."}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("contributor adds an entry: status %d, want 303", res.StatusCode)
	}
}

// TestStorySuggestionsAndDormantFlag: the editor of a saved article
// offers the open story it matches; publishing an article that matches a
// dormant story flags it on the dashboard.
func TestStorySuggestionsAndDormantFlag(t *testing.T) {
	h := newHarness(t)
	b, _ := h.signedIn(t, "ed@byline.example", news.RoleEditor)
	quiet := news.Story{Title: "Reservoir drought", Tags: []string{"drought", "water"}, Standfirst: "Soyang Lake runs low."}
	if err := h.st.CreateStory(ctx, &quiet, 0); err != nil {
		t.Fatal(err)
	}
	old := storetest.Publish(t, h.st, h.fix.National, "Soyang Lake at record low as drought deepens", "K-water says Soyang Lake holds a third of its capacity.", 20*24*time.Hour, []string{"drought"})
	if err := h.st.AddStoryEntry(ctx, &news.StoryEntry{StoryID: quiet.ID, ArticleID: old.ID, PublishedAt: h.clk.Now().Add(-20 * 24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	other := news.Story{Title: "Chip exports", Tags: []string{"semiconductors"}}
	if err := h.st.CreateStory(ctx, &other, 0); err != nil {
		t.Fatal(err)
	}

	// Write and publish a matching article through the editor.
	form := h.articleForm("K-water rations Soyang Lake water as drought drags on", "Soyang Lake levels fell again, K-water said.")
	form.Set("tags", "drought, water")
	b.post(t, "/admin/articles", form)
	a := h.lastArticle(t)
	_, doc := b.get(t, "/admin/articles/"+itoa(a.ID))
	sug := doc.Find(".story-suggestions li")
	if sug.Length() != 1 || !strings.Contains(sug.Text(), "Reservoir drought") {
		t.Fatalf("suggestions = %q, want the drought story only", sug.Text())
	}
	if sug.Find("form input[name=article_id]").AttrOr("value", "") != itoa(a.ID) {
		t.Error("the suggestion's form does not name the article")
	}
	form.Set("action", "publish")
	form.Set("version", itoa(int64(a.Version)))
	res, _ := b.post(t, "/admin/articles/"+itoa(a.ID), form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: status %d", res.StatusCode)
	}
	flags, err := h.st.StoryFlags(ctx, 10)
	if err != nil || len(flags) != 1 || flags[0].StoryID != quiet.ID || flags[0].ArticleID != a.ID {
		t.Fatalf("flags = %+v (%v), want the dormant drought story flagged for the new article", flags, err)
	}
	_, doc = b.get(t, "/admin/")
	if !strings.Contains(doc.Find(".dash-panel").Text(), "Dormant story “Reservoir drought”") {
		t.Errorf("dashboard panels = %q", doc.Find(".dash-panel").Text())
	}
	// Confirming adds it; the box then says so and suggests nothing more.
	res, _ = b.post(t, "/admin/stories/"+itoa(quiet.ID)+"/entries", url.Values{"article_id": {itoa(a.ID)}, "return": {"/admin/articles/" + itoa(a.ID)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm: status %d", res.StatusCode)
	}
	_, doc = b.get(t, "/admin/articles/"+itoa(a.ID))
	if !strings.Contains(doc.Find(".story-suggest").Text(), "In Reservoir drought") || doc.Find(".story-suggestions li").Length() != 0 {
		t.Errorf("after confirming: box = %q", doc.Find(".story-suggest").Text())
	}
	// "Add to another story": the chips story, which was not suggested.
	if doc.Find("#story-pick option[value='"+itoa(other.ID)+"']").Length() != 1 || doc.Find("#story-pick option[value='"+itoa(quiet.ID)+"']").Length() != 0 {
		t.Errorf("the story picker offers %q; want the other open story, not the one the article is in", doc.Find("#story-pick option").Text())
	}
	res, _ = b.post(t, "/admin/story-entries", url.Values{"story_id": {itoa(other.ID)}, "article_id": {itoa(a.ID)}, "return": {"/admin/articles/" + itoa(a.ID)}})
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/articles/"+itoa(a.ID)) {
		t.Errorf("add to another story: status %d, to %q", res.StatusCode, loc)
	}
	if ids, _ := h.st.StoryArticleIDs(ctx, other.ID); len(ids) != 1 || ids[0] != a.ID {
		t.Errorf("the other story's members = %v, want [%d]", ids, a.ID)
	}
	if res, _ := b.post(t, "/admin/story-entries", url.Values{"story_id": {"x"}, "article_id": {itoa(a.ID)}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("add to story x: status %d, want 404", res.StatusCode)
	}
	res, _ = b.post(t, "/admin/story-flags/"+itoa(flags[0].ID)+"/dismiss", url.Values{})
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("dismiss: status %d", res.StatusCode)
	}
	if flags, _ := h.st.StoryFlags(ctx, 10); len(flags) != 0 {
		t.Errorf("%d flags after dismissing, want 0", len(flags))
	}
}
