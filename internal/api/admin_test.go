package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"byline/internal/api"
	"byline/internal/auth"
	"byline/internal/news"
	"byline/internal/testutil"
)

type adminClient struct {
	app   *testutil.App
	token string
}

func newAdmin(t *testing.T, role news.Role) (*testutil.App, *adminClient) {
	t.Helper()
	app := testutil.NewApp(t, testutil.WithDemo())
	return app, tokenFor(t, app, "api-"+string(role)+"@example.com", role)
}

func tokenFor(t *testing.T, app *testutil.App, email string, role news.Role) *adminClient {
	t.Helper()
	u, err := auth.CreateUser(context.Background(), app.Store, email, "API "+string(role), role, "password-123")
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := auth.NewTokens(app.Store).Create(context.Background(), u.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	return &adminClient{app: app, token: tok}
}

type apiError struct {
	Error struct{ Code, Message, Field string } `json:"error"`
}

// call sends body (a string, or a value to encode) and decodes the answer
// into out when given.
func (c *adminClient) call(t *testing.T, method, path string, body any, out any) (int, apiError) {
	t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		r = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, c.app.URL+path, r)
	req.Header.Set("Content-Type", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	res, err := c.app.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var e apiError
	if res.StatusCode >= 400 {
		if !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") || json.Unmarshal(raw, &e) != nil || e.Error.Code == "" {
			t.Errorf("%s %s: %d error is not the JSON error shape: %q", method, path, res.StatusCode, raw)
		}
	} else if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: %v in %q", method, path, err, raw)
		}
	}
	return res.StatusCode, e
}

func TestAdminAPIArticleLifecycle(t *testing.T) {
	app, c := newAdmin(t, news.RoleEditor)
	var a api.AdminArticle
	code, e := c.call(t, "POST", "/api/v1/admin/articles", map[string]any{
		"headline": "Robots write the weather", "dek": "Automation arrives", "body": "It will **rain**.",
		"section": "national/politics", "tags": []string{"Weather", "AI"}, "authors": []any{"kim-ji-won", 2},
		"dateline": "SEOUL", "image": map[string]string{"url": "/media/rain.jpg", "alt": "Rain", "caption": "Wet", "credit": "Staff"},
	}, &a)
	if code != http.StatusCreated {
		t.Fatalf("create: %d %+v", code, e)
	}
	if a.ID == 0 || a.Status != news.StatusDraft || a.Section.Path != "national/politics" || len(a.Authors) != 2 || a.Image == nil || a.Image.Credit != "Staff" || strings.Join(a.Tags, ",") != "Weather,AI" {
		t.Fatalf("created %+v", a)
	}
	id := strconv.FormatInt(a.ID, 10)
	var got api.AdminArticle
	if code, _ := c.call(t, "GET", "/api/v1/admin/articles/"+id, nil, &got); code != 200 || got.Headline != a.Headline {
		t.Fatalf("get draft: %d %+v", code, got)
	}
	// Readers cannot see the draft.
	if res, _ := app.Get(t, "/api/v1/articles/"+id); res.StatusCode != http.StatusNotFound {
		t.Errorf("content API shows a draft: %d", res.StatusCode)
	}
	if code, _ := c.call(t, "PATCH", "/api/v1/admin/articles/"+id, map[string]any{"dek": "Automation is here", "version": a.Version}, &got); code != 200 || got.Dek != "Automation is here" || got.Headline != a.Headline || got.Version != a.Version+1 {
		t.Fatalf("patch: %d %+v", code, got)
	}
	if code, e := c.call(t, "PATCH", "/api/v1/admin/articles/"+id, map[string]any{"dek": "stale", "version": a.Version}, nil); code != http.StatusConflict || e.Error.Code != "conflict" {
		t.Errorf("stale patch: %d %+v, want 409", code, e)
	}
	if code, _ := c.call(t, "POST", "/api/v1/admin/articles/"+id+"/publish", nil, &got); code != 200 || got.Status != news.StatusPublished || got.PublishedAt == nil {
		t.Fatalf("publish: %d %+v", code, got)
	}
	if res, _ := app.Get(t, "/api/v1/articles/"+id); res.StatusCode != http.StatusOK {
		t.Errorf("published article not in the content API: %d", res.StatusCode)
	}
	var corr api.CorrectionItem
	if code, _ := c.call(t, "POST", "/api/v1/admin/articles/"+id+"/corrections", map[string]string{"body": "It rained less.", "kind": "update"}, &corr); code != http.StatusCreated || corr.Kind != "update" {
		t.Fatalf("correction: %d %+v", code, corr)
	}
	res, doc := app.Get(t, "/article/"+id+"/"+got.Slug)
	if res.StatusCode != 200 || !strings.Contains(doc.Find("aside.corrections").Text(), "It rained less.") {
		t.Errorf("reader page lacks the update: %d", res.StatusCode)
	}
	if code, _ := c.call(t, "POST", "/api/v1/admin/articles/"+id+"/unpublish", "", &got); code != 200 || got.Status != news.StatusDraft {
		t.Fatalf("unpublish: %d %+v", code, got)
	}
	if res, _ := app.Get(t, "/article/"+id+"/"+got.Slug); res.StatusCode != http.StatusNotFound {
		t.Errorf("unpublished article still served: %d", res.StatusCode)
	}
	at := time.Now().Add(2 * time.Hour).UTC().Truncate(time.Second)
	if code, _ := c.call(t, "POST", "/api/v1/admin/articles/"+id+"/publish", map[string]any{"at": at}, &got); code != 200 || got.Status != news.StatusScheduled || !got.PublishedAt.Equal(at) {
		t.Fatalf("schedule: %d %+v", code, got)
	}
}

func TestAdminAPIRefusals(t *testing.T) {
	app, c := newAdmin(t, news.RoleEditor)
	var a api.AdminArticle
	c.call(t, "POST", "/api/v1/admin/articles", map[string]any{"headline": "Target", "body": "x", "section": "national"}, &a)
	id := strconv.FormatInt(a.ID, 10)
	for _, tc := range []struct {
		name, method, path string
		body               any
		status             int
		field              string
	}{
		{"bad JSON", "POST", "/api/v1/admin/articles", `{"headline": `, 400, "body"},
		{"not an object", "POST", "/api/v1/admin/articles", `[1,2]`, 400, "body"},
		{"unknown field", "POST", "/api/v1/admin/articles", `{"headline":"x","section":"national","colour":"red"}`, 400, "body"},
		{"wrong type", "POST", "/api/v1/admin/articles", `{"headline":5,"section":"national"}`, 400, "body"},
		{"empty body", "POST", "/api/v1/admin/articles", ``, 400, "body"},
		{"unknown section", "POST", "/api/v1/admin/articles", `{"headline":"x","section":"nowhere/at-all"}`, 400, "section"},
		{"missing section", "POST", "/api/v1/admin/articles", `{"headline":"x"}`, 400, "section"},
		{"missing headline", "POST", "/api/v1/admin/articles", `{"section":"national"}`, 400, "headline"},
		{"unknown author", "POST", "/api/v1/admin/articles", `{"headline":"x","section":"national","authors":["nobody-here"]}`, 400, "authors"},
		{"javascript image", "POST", "/api/v1/admin/articles", `{"headline":"x","section":"national","image":{"url":"javascript:alert(1)","alt":"a"}}`, 400, "image"},
		{"image without alt", "POST", "/api/v1/admin/articles", `{"headline":"x","section":"national","image":{"url":"/m.jpg"}}`, 400, "image"},
		{"bad slug", "PATCH", "/api/v1/admin/articles/" + id, `{"slug":"Not A Slug"}`, 400, "slug"},
		{"no such article", "GET", "/api/v1/admin/articles/999999", nil, 404, ""},
		{"junk id", "PATCH", "/api/v1/admin/articles/abc", `{}`, 404, ""},
		{"bad schedule time", "POST", "/api/v1/admin/articles/" + id + "/publish", `{"at":"tomorrow"}`, 400, "body"},
		{"empty correction", "POST", "/api/v1/admin/articles/" + id + "/corrections", `{"body":"  "}`, 400, "body"},
		{"bad correction kind", "POST", "/api/v1/admin/articles/" + id + "/corrections", `{"body":"x","kind":"retraction"}`, 400, "kind"},
	} {
		code, e := c.call(t, tc.method, tc.path, tc.body, nil)
		if code != tc.status || (tc.field != "" && e.Error.Field != tc.field) {
			t.Errorf("%s: %d %+v, want %d on field %q", tc.name, code, e.Error, tc.status, tc.field)
		}
	}
	// 10 MB body: 413 whether announced or streamed.
	big := `{"headline":"x","section":"national","body":"` + strings.Repeat("a", 10<<20) + `"}`
	if code, e := c.call(t, "POST", "/api/v1/admin/articles", big, nil); code != http.StatusRequestEntityTooLarge || e.Error.Code != "too_large" {
		t.Errorf("10 MB body: %d %+v, want 413", code, e)
	}
	req, _ := http.NewRequest("POST", app.URL+"/api/v1/admin/articles", io.MultiReader(strings.NewReader(big)))
	req.ContentLength = -1
	req.Header.Set("Authorization", "Bearer "+c.token)
	if res, err := app.Client.Do(req); err != nil || res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("streamed 10 MB body: %v %v, want 413", res.StatusCode, err)
	}
	// Tokens.
	for name, tok := range map[string]string{"missing": "", "forged": auth.TokenPrefix + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "junk": "hello"} {
		bad := &adminClient{app: app, token: tok}
		if code, e := bad.call(t, "GET", "/api/v1/admin/articles/"+id, nil, nil); code != http.StatusUnauthorized || e.Error.Code != "unauthorized" {
			t.Errorf("%s token: %d %+v, want 401", name, code, e)
		}
	}
	// A contributor's token may write but not publish.
	con := tokenFor(t, app, "con@example.com", news.RoleContributor)
	if code, _ := con.call(t, "POST", "/api/v1/admin/articles/"+id+"/publish", nil, nil); code != http.StatusForbidden {
		t.Errorf("contributor publish: %d, want 403", code)
	}
	var got api.AdminArticle
	c.call(t, "GET", "/api/v1/admin/articles/"+id, nil, &got)
	if got.Status != news.StatusDraft {
		t.Errorf("status after refused publish: %s", got.Status)
	}
	// A disabled account's token stops working.
	u, _ := app.Store.StaffByEmail(context.Background(), "con@example.com")
	auth.SetDisabled(context.Background(), app.Store, &u, true)
	if code, _ := con.call(t, "GET", "/api/v1/admin/articles/"+id, nil, nil); code != http.StatusForbidden {
		t.Errorf("disabled account's token: %d, want 403", code)
	}
}
