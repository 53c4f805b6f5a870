package render

import (
	"encoding/json"
	"html/template"
	"strings"
	"time"

	"byline/internal/news"
)

func (r *Renderer) funcs() template.FuncMap {
	return template.FuncMap{
		"asset": r.AssetURL,
		// date: "Nov. 29, 2026" in the paper's time zone.
		"date": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			t = t.In(r.loc)
			m := t.Format("Jan.")
			if m == "May." {
				m = "May"
			}
			return m + " " + t.Format("2, 2006")
		},
		// datetime: "Nov. 29, 2026, 14:05" in the paper's time zone.
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			t = t.In(r.loc)
			m := t.Format("Jan.")
			if m == "May." {
				m = "May"
			}
			return m + " " + t.Format("2, 2006, 15:04")
		},
		"iso": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(r.loc).Format(time.RFC3339)
		},
		"tagURL": news.TagURL,
		// commentThread is replaced by the server with the comments
		// feature's; this default shows no comment section.
		"commentThread": func(int64) any { return nil },
		"jsonld": func(v any) (template.JS, error) {
			b, err := json.Marshal(v)
			return template.JS(b), err
		},
		"join": strings.Join,
		"add":  func(a, b int) int { return a + b },
		"seq": func(n int) []int {
			s := make([]int, n)
			for i := range s {
				s[i] = i + 1
			}
			return s
		},
	}
}
