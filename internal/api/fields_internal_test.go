package api

import (
	"bytes"
	"encoding/json"
	"testing"

	"byline/internal/news"
)

// objectKeys lists the keys of the JSON object b, duplicates included.
func objectKeys(t *testing.T, b []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not a JSON object: %s", b)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

// The JSON of an article in both APIs has every plain field the struct
// shows, public ones in the Content API, once each.
func TestArticleJSONHasEachFieldOnce(t *testing.T) {
	ar := news.Article{ID: 1, Slug: "a", Headline: "H", Dek: "D", Dateline: "SEOUL", Top: true, SEOTitle: "S"}
	item := ArticleItem{Headline: ar.Headline, fields: fieldValues(itemFields, &ar)}
	detail := ArticleDetail{ArticleItem: item, ArticleText: ArticleText{Dateline: ar.Dateline}}
	admin := AdminArticle{Headline: ar.Headline, fields: fieldValues(adminFields, &ar)}
	for name, v := range map[string]any{"item": item, "detail": detail, "admin": admin} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		seen := map[string]bool{}
		for _, k := range objectKeys(t, b) {
			if seen[k] {
				t.Errorf("%s: key %q twice in %s", name, k, b)
			}
			seen[k] = true
		}
		for _, f := range news.ArticleFields {
			inAPI := f.Public || name == "admin"
			if inAPI && !seen[f.Name] && !(name == "item" && f.Name == "dateline") {
				t.Errorf("%s: plain field %q missing from %s", name, f.Name, b)
			}
			if !inAPI && name == "item" && seen[f.Name] {
				t.Errorf("%s: field %q is not public but is in %s", name, f.Name, b)
			}
		}
	}
}
