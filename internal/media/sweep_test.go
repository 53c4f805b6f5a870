package media

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"byline/internal/news"
	"byline/internal/store/sqlitestore"
)

// TestSweep runs on the directory and on a real S3 server: files no
// record names are reported; with remove, the old ones no article links
// are deleted, and nothing else is.
func TestSweep(t *testing.T) {
	eachStorage(t, func(t *testing.T, s Storage) {
		ctx := context.Background()
		st, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "byline.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		lib := New(st, s)
		m, err := lib.Upload(ctx, encodeJPEG(t, 1000, 600), news.Media{Alt: "Kept"})
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"2026/01/dead.jpg", "2026/01/dead-480.jpg", "old/linked.jpg", ".metadata-stripped-v1"} {
			if err := s.Put(ctx, name, strings.NewReader("bytes of "+name)); err != nil {
				t.Fatal(err)
			}
		}
		sec := news.Section{Slug: "news", Name: "News"}
		if err := st.CreateSection(ctx, &sec); err != nil {
			t.Fatal(err)
		}
		a := news.Article{SectionID: sec.ID, Headline: "Old story", Body: "![old](/media/old/linked.jpg)", Status: news.StatusPublished, PublishedAt: time.Now()}
		if err := st.CreateArticle(ctx, &a); err != nil {
			t.Fatal(err)
		}
		all := stored(t, s)
		names := func(r SweepReport, keep func(Orphan) bool) []string {
			var out []string
			for _, o := range r.Orphans {
				if keep(o) {
					out = append(out, o.Name)
				}
			}
			return out
		}
		any := func(Orphan) bool { return true }
		later := time.Now().Add(2 * time.Hour)

		r, err := Sweep(ctx, st, s, time.Hour, later, false)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := names(r, any), []string{"2026/01/dead-480.jpg", "2026/01/dead.jpg", "old/linked.jpg"}; !slices.Equal(got, want) {
			t.Errorf("orphans %q, want %q", got, want)
		}
		if got := names(r, func(o Orphan) bool { return len(o.Used) > 0 }); !slices.Equal(got, []string{"old/linked.jpg"}) || r.Orphans[2].Used[0].ArticleID != a.ID {
			t.Errorf("linked orphans %q, want old/linked.jpg used by article %d", got, a.ID)
		}
		if r.Records != 1 || r.Files != len(all) || r.Removed != 0 {
			t.Errorf("report: %d records, %d files, %d removed; want 1, %d, 0", r.Records, r.Files, r.Removed, len(all))
		}
		if after := stored(t, s); !slices.Equal(after, all) {
			t.Errorf("a report-only sweep changed the storage: %q", after)
		}

		// Files younger than the minimum age may be an upload in flight.
		r, err = Sweep(ctx, st, s, time.Hour, time.Now(), true)
		if err != nil {
			t.Fatal(err)
		}
		if r.Removed != 0 || len(names(r, func(o Orphan) bool { return o.Young })) != 3 {
			t.Errorf("young files: %d removed, orphans %+v; want none removed, all young", r.Removed, r.Orphans)
		}

		r, err = Sweep(ctx, st, s, time.Hour, later, true)
		if err != nil {
			t.Fatal(err)
		}
		if got := names(r, func(o Orphan) bool { return o.Removed }); !slices.Equal(got, []string{"2026/01/dead-480.jpg", "2026/01/dead.jpg"}) || r.Removed != 2 {
			t.Errorf("removed %q, want the two dead files", got)
		}
		want := slices.DeleteFunc(slices.Clone(all), func(n string) bool { return strings.HasPrefix(n, "2026/01/dead") })
		if after := stored(t, s); !slices.Equal(after, want) {
			t.Errorf("after the sweep the storage holds %q, want %q", after, want)
		}
		for _, f := range m.Files() {
			if !slices.Contains(stored(t, s), f) {
				t.Errorf("the library's file %s was removed", f)
			}
		}
	})
}
