package server_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"byline/internal/news"
	"byline/internal/testutil"
	"byline/internal/tracker"
	"byline/internal/webhooks"
)

// waitIndexed polls until the tracker's indexer has taken every queued
// article.
func waitIndexed(t *testing.T, app *testutil.App) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		n, err := app.Store.TrackerQueueLen(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the tracker's queue did not empty in 10 s")
}

func trackerArticle(t *testing.T, app *testutil.App, sec int64, headline, body string, at time.Time, embargo time.Time) news.Article {
	t.Helper()
	a := news.Article{SectionID: sec, Headline: headline, Body: body, BodyText: body, Status: news.StatusPublished, PublishedAt: at.UTC().Truncate(time.Millisecond), EmbargoUntil: embargo}
	if err := app.Store.CreateArticle(context.Background(), &a); err != nil {
		t.Fatal(err)
	}
	return a
}

// TestTrackerEndToEnd: an editor explores and saves a tracker, readers
// see it once published; table, chart, CSV and JSON agree; a bucket lists
// its articles with the phrase in context; a new article is counted
// within a second; refusals are clear.
func TestTrackerEndToEnd(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithDemo())
	ctx := context.Background()
	secs, err := app.Store.ListSections(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sec := secs[0].ID
	now := time.Now().UTC()
	// Weeks ago: 1, 2, 3 articles with the phrase; one Korean article.
	for w := 1; w <= 3; w++ {
		for i := 0; i < w; i++ {
			trackerArticle(t, app, sec, "Orchard report "+strconv.Itoa(w)+"-"+strconv.Itoa(i), "The ministry praised the quince orchards again. Quince orchards everywhere.", now.Add(-time.Duration(w)*7*24*time.Hour), time.Time{})
		}
	}
	trackerArticle(t, app, sec, "협동농장 소식", "모과과수원을 늘리자는 구호. 모과과수원의 성과.", now.Add(-7*24*time.Hour), time.Time{})
	emb := trackerArticle(t, app, sec, "Embargoed quince orchards", "quince orchards", now.Add(-time.Hour), now.Add(24*time.Hour))
	waitIndexed(t, app)

	editor := signIn(t, app, "trk-editor@example.com", news.RoleEditor)
	q := url.Values{"phrase": {"quince orchards", "과수원"}, "interval": {"week"}, "buckets": {"6"}, "measure": {"articles"}}
	res, doc := editor.get(t, "/admin/trackers?"+q.Encode())
	if res.StatusCode != 200 || doc.Find("svg.tracker-chart").Length() != 1 || doc.Find("table.tracker-table tbody tr").Length() != 6 {
		t.Fatalf("explore: %d, %d charts, %d rows; want 200, 1, 6", res.StatusCode, doc.Find("svg.tracker-chart").Length(), doc.Find("table.tracker-table tbody tr").Length())
	}
	// The embargoed article counts for an editor who asks, not otherwise.
	cell := func(doc *goquery.Document, row, col int) string {
		return strings.TrimSpace(doc.Find("table.tracker-table tbody tr").Eq(row).Find("td").Eq(col).Text())
	}
	if got := cell(doc, 5, 1); got != "0" {
		t.Errorf("this week's quince orchards = %q, want 0 (embargoed)", got)
	}
	q.Set("editor", "1")
	_, doc = editor.get(t, "/admin/trackers?"+q.Encode())
	if got := cell(doc, 5, 1); got != "1" {
		t.Errorf("with editor=1 this week's count = %q, want 1", got)
	}
	// Staff exports (here counting the embargoed article) are never kept
	// by a cache; a bad format is refused.
	if res, _ := editor.get(t, "/admin/trackers/export/csv?"+q.Encode()); res.StatusCode != 200 || res.Header.Get("Cache-Control") != "no-store" ||
		!strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Errorf("staff CSV export: %d, Cache-Control %q, Content-Type %q", res.StatusCode, res.Header.Get("Cache-Control"), res.Header.Get("Content-Type"))
	}
	if res, _ := editor.get(t, "/admin/trackers/export/xls?"+q.Encode()); res.StatusCode != http.StatusNotFound {
		t.Errorf("export as xls: %d, want 404", res.StatusCode)
	}
	q.Del("editor")
	if got := cell(doc, 4, 2); got != "1" {
		t.Errorf("과수원 a week ago = %q, want 1 (inside 모과과수원을)", got)
	}

	// Refusals.
	for _, c := range []struct {
		query url.Values
		want  string
	}{
		{url.Values{"phrase": {"a", "b", "c", "d", "e", "f"}}, "at most 5"},
		{url.Values{"phrase": {"!!!"}}, "no letters"},
		{url.Values{"phrase": {"x"}, "interval": {"year"}}, "day, week or month"},
		{url.Values{"phrase": {"x"}, "buckets": {"5000"}}, "buckets"},
		{url.Values{"phrase": {"x"}, "scope": {"section"}}, "choose a section"},
	} {
		res, doc := editor.get(t, "/admin/trackers?"+c.query.Encode())
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(doc.Find(".form-error").Text(), c.want) {
			t.Errorf("%v: %d %q, want 422 saying %q", c.query, res.StatusCode, doc.Find(".form-error").Text(), c.want)
		}
	}
	contrib := signIn(t, app, "trk-contrib@example.com", news.RoleContributor)
	save := url.Values{"phrase": {"quince orchards", "과수원"}, "interval": {"week"}, "buckets": {"6"}, "measure": {"articles"}, "title": {"Quince watch"}, "published": {"1"}}
	if res, _ := contrib.postForm(t, "/admin/trackers", save); res.StatusCode != http.StatusForbidden {
		t.Errorf("a contributor saved a tracker: %d, want 403", res.StatusCode)
	}
	noTitle := url.Values{"phrase": {"quince"}, "interval": {"week"}, "buckets": {"6"}, "measure": {"articles"}}
	if res, doc := editor.postForm(t, "/admin/trackers", noTitle); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(doc.Find(".form-error").Text(), "title") ||
		doc.Find(`input[name=phrase]`).First().AttrOr("value", "") != "quince" {
		t.Errorf("no title: %d %q; want 422 and the phrase kept", res.StatusCode, doc.Find(".form-error").Text())
	}

	// Save unpublished first: readers get 404.
	save.Del("published")
	save.Del("csrf") // the contributor's
	res, _ = editor.postForm(t, "/admin/trackers", save)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/admin/trackers/") {
		t.Fatalf("save: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	editURL := strings.SplitN(res.Header.Get("Location"), "?", 2)[0]
	if res, _ := app.Get(t, "/tracker/quince-watch"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unpublished tracker: %d, want 404", res.StatusCode)
	}
	if res, _ := app.Get(t, "/tracker/quince-watch/data.json"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unpublished tracker's data: %d, want 404", res.StatusCode)
	}
	save.Set("published", "1")
	save.Set("slug", "quince-watch")
	if res, doc := editor.postForm(t, editURL, save); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d %s", res.StatusCode, doc.Find(".form-error").Text())
	}

	// Readers: page, table, chart labels, CSV and JSON agree.
	res, doc = app.Get(t, "/tracker/quince-watch")
	if res.StatusCode != 200 {
		t.Fatalf("public tracker: %d", res.StatusCode)
	}
	var exp tracker.Export
	res, body := app.Do(t, mustReq(t, "/tracker/quince-watch/data.json"))
	if res.StatusCode != 200 || json.Unmarshal(body, &exp) != nil || len(exp.Buckets) != 6 {
		t.Fatalf("data.json: %d %s", res.StatusCode, body)
	}
	if exp.Query.Scope != "whole archive" || exp.Query.Measure != "articles" || exp.Generated.IsZero() || len(exp.Query.Phrases) != 2 {
		t.Errorf("JSON header = %+v", exp.Query)
	}
	res, body = app.Do(t, mustReq(t, "/tracker/quince-watch/data.csv"))
	if cc := res.Header.Get("Cache-Control"); !strings.HasPrefix(cc, "public") {
		t.Errorf("public CSV: Cache-Control %q", cc)
	}
	lines := strings.Split(string(body), "\n")
	if res.StatusCode != 200 || !strings.HasPrefix(lines[0], "# query: quince orchards | 과수원") || !strings.HasPrefix(lines[1], "# scope: whole archive") ||
		!strings.HasPrefix(lines[3], "# measure: articles") || !strings.HasPrefix(lines[4], "# generated: ") {
		t.Fatalf("CSV header: %d %q", res.StatusCode, lines[:min(5, len(lines))])
	}
	rows, err := csv.NewReader(strings.NewReader(strings.Join(lines[5:], "\n"))).ReadAll()
	if err != nil || len(rows) != 7 {
		t.Fatalf("CSV rows: %d, %v", len(rows), err)
	}
	links := doc.Find("svg.tracker-chart a")
	if links.Length() != 6 {
		t.Fatalf("chart has %d bucket links, want 6", links.Length())
	}
	want := []string{"0", "0", "3", "2", "1", "0"} // 5 weeks ago … this week (quince)
	for i, b := range exp.Buckets {
		for j, v := range b.Values {
			js := tracker.FormatValue(v.Value)
			if c := cell(doc, i, 1+j); c != js {
				t.Errorf("bucket %d phrase %d: table %q, JSON %q", i, j, c, js)
			}
			if c := rows[1+i][4+3*j+2]; c != js {
				t.Errorf("bucket %d phrase %d: CSV %q, JSON %q", i, j, c, js)
			}
			label := links.Eq(i).AttrOr("aria-label", "")
			if !strings.Contains(label, v.Phrase+" "+js) {
				t.Errorf("bucket %d: the chart says %q, JSON %s %s", i, label, v.Phrase, js)
			}
		}
		if tracker.FormatValue(b.Values[0].Value) != want[i] {
			t.Errorf("bucket %d: %v, want %s", i, b.Values[0].Value, want[i])
		}
	}
	if !exp.Buckets[5].Partial || doc.Find("svg.tracker-chart .running").Length() != 2 {
		t.Errorf("the running week is not drawn dashed")
	}
	if got := doc.Find("svg.tracker-chart .peak-label").First().Text(); !strings.HasPrefix(got, "Orchard report 3-") {
		t.Errorf("peak label %q, want the top article of the peak week", got)
	}
	// A bucket's articles, with the phrase in context.
	href, _ := links.Eq(2).Attr("href") // relative to the page
	res, doc = app.Get(t, "/tracker/quince-watch"+href)
	if res.StatusCode != 200 || doc.Find("#articles ol").First().Find("li").Length() != 3 {
		t.Fatalf("bucket page: %d, %d articles, want 3", res.StatusCode, doc.Find("#articles ol").First().Find("li").Length())
	}
	if m := doc.Find("#articles .tracker-kwic mark").First().Text(); m != "quince orchards" {
		t.Errorf("snippet marks %q", m)
	}
	if res, _ := app.Get(t, "/tracker/quince-watch?bucket=1999-01-04"); res.StatusCode != http.StatusNotFound {
		t.Errorf("a bucket off the chart: %d, want 404", res.StatusCode)
	}
	if res, _ := app.Get(t, "/tracker/quince-watch?bucket=soon"); res.StatusCode != http.StatusBadRequest && res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a bad bucket: %d, want 400 or 422", res.StatusCode)
	}
	res, body = app.Do(t, mustReq(t, "/tracker/quince-watch/chart.svg"))
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/svg+xml" || len(body) > 15<<10 || !strings.Contains(string(body), `role="img"`) {
		t.Errorf("chart.svg: %d %s, %d bytes", res.StatusCode, res.Header.Get("Content-Type"), len(body))
	}

	// The embargo lifts (the clock moves): counted at once.
	emb.EmbargoUntil = time.Time{}
	if err := app.Store.UpdateArticle(ctx, &emb); err != nil {
		t.Fatal(err)
	}
	// A newly published article is counted within a second.
	trackerArticle(t, app, sec, "Fresh quince orchards", "quince orchards", time.Now(), time.Time{})
	deadline := time.Now().Add(time.Second)
	for {
		_, body = app.Do(t, mustReq(t, "/tracker/quince-watch/data.json"))
		if err := json.Unmarshal(body, &exp); err != nil {
			t.Fatal(err)
		}
		if exp.Buckets[5].Values[0].Articles == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("this week counts %d a second after publishing, want 2", exp.Buckets[5].Values[0].Articles)
		}
		time.Sleep(10 * time.Millisecond)
	}

	// Embedding: an article shows the chart as an image.
	a := trackerArticle(t, app, sec, "Our quince chart", "Here it is:\n\n![Quince watch chart](/tracker/quince-watch/chart.svg)", now.Add(-time.Minute), time.Time{})
	app.Notify(news.Change{Kind: news.ChangeContent})
	_, doc = app.Get(t, a.URL())
	if doc.Find(`img[src="/tracker/quince-watch/chart.svg"]`).Length() != 1 {
		t.Errorf("the article does not embed the chart")
	}
}

func mustReq(t *testing.T, path string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

type spikeReceiver struct {
	mu     sync.Mutex
	secret string
	events []tracker.SpikePayload
}

func (h *spikeReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if !webhooks.Verify(h.secret, r.Header.Get("X-Byline-Timestamp"), r.Header.Get("X-Byline-Signature"), body, time.Now(), 5*time.Minute) {
		w.WriteHeader(401)
		return
	}
	var p tracker.SpikePayload
	json.Unmarshal(body, &p)
	h.mu.Lock()
	if p.Event == tracker.SpikeEvent {
		h.events = append(h.events, p)
	}
	h.mu.Unlock()
}

// TestTrackerSpikeWebhook: a saved tracker with alerts announces a spike
// by signed webhook within 60 s of the article that caused it, once.
func TestTrackerSpikeWebhook(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithDemo(), testutil.WithArgs("--webhooks-allow-private"))
	ctx := context.Background()
	rc := &spikeReceiver{secret: "receiver-secret-0123456789"}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	admin := signIn(t, app, "trk-admin@example.com", news.RoleAdmin)
	if res, _ := admin.postForm(t, "/admin/webhooks", url.Values{"url": {srv.URL}, "secret": {rc.secret}}); res.StatusCode != 200 {
		t.Fatalf("add endpoint: %d", res.StatusCode)
	}
	secs, _ := app.Store.ListSections(ctx)
	now := time.Now().UTC()
	// Eight quiet days with one mention each, then today's burst.
	for d := 1; d <= 8; d++ {
		trackerArticle(t, app, secs[0].ID, "Medlar note", "medlar harvest", now.Add(-time.Duration(d)*24*time.Hour), time.Time{})
	}
	tr := news.Tracker{Title: "Medlar", Phrases: []string{"medlar harvest"}, Interval: news.IntervalDay, Measure: news.MeasureArticles, Buckets: 30, Alerts: true}
	if err := app.Store.CreateTracker(ctx, &tr); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 9; i++ {
		trackerArticle(t, app, secs[0].ID, "Medlar harvest surges "+strconv.Itoa(i), "medlar harvest", now.Add(-time.Duration(i)*time.Minute), time.Time{})
	}
	start := time.Now()
	deadline := start.Add(60 * time.Second)
	for {
		rc.mu.Lock()
		n := len(rc.events)
		var ev tracker.SpikePayload
		if n > 0 {
			ev = rc.events[0]
		}
		rc.mu.Unlock()
		if n > 0 {
			if ev.Phrase != "medlar harvest" || ev.Tracker.ID != tr.ID || ev.Value < 9 || ev.Z < 3 || ev.Article == nil || !strings.HasPrefix(ev.Article.Headline, "Medlar harvest surges") {
				t.Errorf("spike event %+v", ev)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no spike webhook within 60 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("spike announced %v after the last article", time.Since(start).Round(time.Millisecond))
	// Checked again, the same spike is not announced twice.
	if n, err := app.Server.TrackerService().CheckSpikes(ctx); err != nil || n != 0 {
		t.Errorf("a second look announced %d (%v), want 0", n, err)
	}
}
