package news

import "testing"

// FuzzSlugify: every slug is a valid slug, and slugifying a slug keeps it.
//
//	go test ./internal/news/ -run '^$' -fuzz FuzzSlugify -fuzztime 30s
func FuzzSlugify(f *testing.F) {
	for _, s := range []string{"", "Korea's election: what's next?", "---", "서울 시장 선거", "Ünïcödé títle", "a  b\tc\nd", "2026 budget — 3.5% rise", "ﬁne print"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, title string) {
		s := Slugify(title)
		if !ValidSlug(s) {
			t.Errorf("Slugify(%q) = %q, not a valid slug", title, s)
		}
		if again := Slugify(s); again != s {
			t.Errorf("Slugify(%q) = %q, but Slugify of that = %q", title, s, again)
		}
	})
}
