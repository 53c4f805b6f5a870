package api_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"byline/internal/news"
)

// The kicker (a plain field, declared by its tag only) is written through
// the Admin API, shown by both APIs, and a bad one is refused with a 400
// naming it, the stored article untouched.
func TestAPIKicker(t *testing.T) {
	app, c := newAdmin(t, news.RoleEditor)
	var a map[string]any
	code, e := c.call(t, "POST", "/api/v1/admin/articles", map[string]any{
		"headline": "Shipyards hire again", "kicker": "Exclusive", "body": "Text.", "section": "national/politics", "authors": []any{"kim-ji-won"},
	}, &a)
	if code != http.StatusCreated || a["kicker"] != "Exclusive" {
		t.Fatalf("create: %d %+v, kicker %v, want 201 and Exclusive", code, e, a["kicker"])
	}
	id := strconv.FormatInt(int64(a["id"].(float64)), 10)
	version := func() int {
		var got map[string]any
		if code, _ := c.call(t, "GET", "/api/v1/admin/articles/"+id, nil, &got); code != 200 {
			t.Fatalf("get: %d", code)
		}
		return int(got["version"].(float64))
	}
	// Absent keeps it; a PATCH of the kicker alone changes it.
	var got map[string]any
	if code, _ := c.call(t, "PATCH", "/api/v1/admin/articles/"+id, map[string]any{"dek": "Orders are up", "version": version()}, &got); code != 200 || got["kicker"] != "Exclusive" {
		t.Errorf("patch without kicker: %d, kicker %v, want Exclusive kept", code, got["kicker"])
	}
	if code, _ := c.call(t, "PATCH", "/api/v1/admin/articles/"+id, map[string]any{"kicker": " Analysis ", "version": version()}, &got); code != 200 || got["kicker"] != "Analysis" {
		t.Errorf("patch kicker: %d, kicker %v, want Analysis", code, got["kicker"])
	}
	for _, bad := range []struct {
		body  string
		field string
	}{
		{`{"kicker": "` + strings.Repeat("k", 41) + `", "version": V}`, "kicker"},
		{`{"kicker": "Two\nlines", "version": V}`, "kicker"},
		{`{"kicker": 5, "version": V}`, "kicker"},
		{`{"kicker": "Fine", "kickr": "typo", "version": V}`, "body"},
	} {
		v := version()
		code, e := c.call(t, "PATCH", "/api/v1/admin/articles/"+id, strings.Replace(bad.body, "V", strconv.Itoa(v), 1), nil)
		if code != http.StatusBadRequest || e.Error.Code != "invalid" || e.Error.Field != bad.field {
			t.Errorf("%s: %d %+v, want 400 invalid on %s", bad.body, code, e, bad.field)
		}
		var after map[string]any
		c.call(t, "GET", "/api/v1/admin/articles/"+id, nil, &after)
		if after["kicker"] != "Analysis" || int(after["version"].(float64)) != v {
			t.Errorf("%s: stored kicker %v version %v, want Analysis and %d untouched", bad.body, after["kicker"], after["version"], v)
		}
	}
	// A draft of changes carries it too.
	if code, _ := c.call(t, "POST", "/api/v1/admin/articles/"+id+"/publish", nil, nil); code != 200 {
		t.Fatalf("publish: %d", code)
	}
	var ch struct {
		Article map[string]any `json:"article"`
	}
	if code, e := c.call(t, "PUT", "/api/v1/admin/articles/"+id+"/changes", map[string]any{"kicker": "Fact check", "pending_seq": 0}, &ch); code != 200 || ch.Article["kicker"] != "Fact check" {
		t.Errorf("changes: %d %+v, article kicker %v, want Fact check", code, e, ch.Article["kicker"])
	}

	// The Content API shows the live kicker, in the article and in lists.
	var detail map[string]any
	if res := getJSON(t, app, "/api/v1/articles/"+id, &detail); res.StatusCode != 200 || detail["kicker"] != "Analysis" || detail["body_markdown"] != "Text." {
		t.Errorf("content API article: %d, kicker %v body %v, want Analysis and the body", res.StatusCode, detail["kicker"], detail["body_markdown"])
	}
	var list struct {
		Items []map[string]any `json:"items"`
	}
	getJSON(t, app, "/api/v1/articles?limit=100", &list)
	found := false
	for _, it := range list.Items {
		if it["headline"] == "Shipyards hire again" {
			found = true
			if it["kicker"] != "Analysis" {
				t.Errorf("content API list item kicker = %v, want Analysis", it["kicker"])
			}
		} else if _, ok := it["kicker"].(string); !ok {
			t.Errorf("item %v: kicker %v, want a string (empty when there is none)", it["headline"], it["kicker"])
		}
	}
	if !found {
		t.Error("the article is not in the Content API's list")
	}
}
