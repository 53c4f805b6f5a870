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
		"date": func(t time.Time) string { return Date(t, r.loc, "en") },
		// datetime: "Nov. 29, 2026, 14:05" in the paper's time zone.
		"datetime": func(t time.Time) string { return DateTime(t, r.loc, "en") },
		// dateIn and datetimeIn take the language ("en" or "ko") first:
		// {{datetimeIn .Lang .CreatedAt}}.
		"dateIn":     func(lang string, t time.Time) string { return Date(t, r.loc, lang) },
		"datetimeIn": func(lang string, t time.Time) string { return DateTime(t, r.loc, lang) },
		// timezone is the paper's IANA zone, for scripts that draw times
		// (comments.js draws them as DateTime does).
		"timezone": func() string { return r.loc.String() },
		"iso": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(r.loc).Format(time.RFC3339)
		},
		"tagURL": news.TagURL,
		// commentThread is replaced by the server with the comments
		// feature's; this default shows no comment section.
		"commentThread":       func(int64) any { return nil },
		"commentConnectNames": func(any) string { return "" },
		"commentJoinOr":       func(names string) string { return names },
		"commentText":         func(lang, key string, args ...string) string { return key },
		"commentItem":         func(v any, lang string) any { return v },
		"jsonld": func(v any) (template.JS, error) {
			b, err := json.Marshal(v)
			return template.JS(b), err
		},
		"join": strings.Join,

		// The newsroom's (admin/) templates. deskTime and timestamp name
		// the zone: a desk across time zones must not guess.
		"deskTime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(r.loc).Format("2006-01-02 15:04 MST")
		},
		"timestamp": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(r.loc).Format("2006-01-02 15:04:05 MST")
		},
		// zone names the paper's time zone beside inputs that take a local time.
		"zone": func() string { return r.loc.String() },
		// inputTime is the value of a datetime-local input.
		"inputTime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(r.loc).Format("2006-01-02T15:04")
		},
		"atLeast": func(u news.StaffUser, role string) bool { return u.Role.AtLeast(news.Role(role)) },
		"indent":  func(s news.Section) string { return strings.Repeat("— ", s.Depth()) },
		// storySuggest is the editor's "Running stories" box; the
		// newsroom binds its own (this default shows none).
		"storySuggest": func(news.Article) any { return nil },
		"add":          func(a, b int) int { return a + b },
		"seq": func(n int) []int {
			s := make([]int, n)
			for i := range s {
				s[i] = i + 1
			}
			return s
		},
	}
}

// Date is t's day in loc: "Nov. 29, 2026" (English) or "2026년 11월 29일"
// (Korean). comments.js draws the same text.
func Date(t time.Time, loc *time.Location, lang string) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(loc)
	if lang == "ko" {
		return t.Format("2006년 1월 2일")
	}
	m := t.Format("Jan.")
	if m == "May." {
		m = "May"
	}
	return m + " " + t.Format("2, 2006")
}

// DateTime is t in loc to the minute: "Nov. 29, 2026, 14:05" (English) or
// "2026년 11월 29일 14:05" (Korean). comments.js draws the same text in
// the same zone (the section's data-tz), whatever the browser's zone.
func DateTime(t time.Time, loc *time.Location, lang string) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(loc)
	if lang == "ko" {
		return Date(t, loc, lang) + " " + t.Format("15:04")
	}
	return Date(t, loc, lang) + ", " + t.Format("15:04")
}
