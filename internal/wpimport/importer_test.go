package wpimport

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"byline/internal/media"
	"byline/internal/news"
	"byline/internal/store/sqlitestore"
)

var ctx = context.Background()

func openStore(t testing.TB) *sqlitestore.Store {
	t.Helper()
	st, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "byline.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func deps(st *sqlitestore.Store) Deps {
	return Deps{Store: st, Imports: st, Redirect: st, Comments: st}
}

func importFile(t *testing.T, st *sqlitestore.Store, name string, opt Options) (Stats, error) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d := deps(st)
	d.Media = media.New(st, media.Disk{Root: filepath.Join(t.TempDir(), "media")})
	var log bytes.Buffer
	opt.Log = &log
	stats, err := Import(ctx, f, d, opt)
	t.Logf("import %s: %v %v\n%s", name, stats, err, log.String())
	return stats, err
}

func articleBySlug(t *testing.T, st *sqlitestore.Store, slug string) news.Article {
	t.Helper()
	for _, status := range []news.Status{news.StatusPublished, news.StatusDraft} {
		page, err := st.ListArticles(ctx, news.ArticleQuery{Status: status, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range page.Articles {
			if a.Slug == slug {
				full, err := st.ArticleByID(ctx, a.ID)
				if err != nil {
					t.Fatal(err)
				}
				return full
			}
		}
	}
	t.Fatalf("no article %q", slug)
	return news.Article{}
}

func TestImportExport(t *testing.T) {
	st := openStore(t)
	stats, err := importFile(t, st, "export.xml", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Posts != 3 || stats.Drafts != 1 || stats.Pages != 0 || stats.Sections != 3 || stats.Authors != 2 || stats.Comments != 2 || stats.Images != 1 {
		t.Errorf("stats = %+v", stats)
	}
	secs, _ := st.ListSections(ctx)
	tree := news.NewTree(secs)
	for _, p := range []string{"local-news", "local-news/politics", "sports"} {
		if _, ok := tree.ByPath(p); !ok {
			t.Errorf("no section %s (have %v)", p, secs)
		}
	}
	if s, _ := tree.ByPath("sports"); s.Name != "Sports & Leisure" {
		t.Errorf("section name %q", s.Name)
	}
	a := articleBySlug(t, st, "council-harbour-wall")
	if a.Status != news.StatusPublished || !a.PublishedAt.Equal(time.Date(2019, 5, 3, 8, 15, 0, 0, time.UTC)) {
		t.Errorf("status %s published %v", a.Status, a.PublishedAt)
	}
	if a.Section.Path != "local-news/politics" || len(a.Authors) != 1 || a.Authors[0].Name != "Hana Park" {
		t.Errorf("section %q authors %+v", a.Section.Path, a.Authors)
	}
	if strings.Join(a.Tags, ",") != "Harbour,Elections" {
		t.Errorf("tags %v", a.Tags)
	}
	if a.Dek != "The vote was 7 to 2." {
		t.Errorf("dek %q", a.Dek)
	}
	for _, want := range []string{"**7 to 2**", "*harbour wall*", "## What it costs", "- Wall: 4 billion won", "> We cannot wait", "[April's storm](https://old.example.com/2019/04/01/storm/)", "![The broken wall](https://old.example.com/wp-content/uploads/2019/05/wall.jpg)"} {
		if !strings.Contains(a.Body, want) {
			t.Errorf("body lacks %q:\n%s", want, a.Body)
		}
	}
	if strings.Contains(a.Body, "script") || strings.Contains(a.Body, "cookie") || strings.Contains(a.Body, "[caption") {
		t.Errorf("body keeps script or shortcode:\n%s", a.Body)
	}
	if a.BodyText == "" {
		t.Error("body text not derived")
	}
	if a.Image == nil || a.Image.URL != "https://old.example.com/wp-content/uploads/2019/05/wall.jpg" || a.Image.Alt != "The harbour wall, broken in three places" {
		t.Errorf("image %+v", a.Image)
	}
	if to, err := st.RedirectFor(ctx, "/2019/05/03/council-harbour-wall/"); err != nil || to != a.URL() {
		t.Errorf("permalink redirect = %q, %v; want %s", to, err, a.URL())
	}
	for _, from := range []string{"/2019/05/03/council-harbour-wall/", "/?p=101"} {
		if id, err := st.ImportRedirect(ctx, from); err != nil || id != a.ID {
			t.Errorf("import redirect %s = %d, %v; want %d", from, id, err, a.ID)
		}
	}
	comments, err := st.ExportComments(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(comments) != 2 || comments[1].ParentID != comments[0].ID || comments[0].AuthorName != "Old Fisher" {
		t.Errorf("comments = %+v", comments)
	}
	draft := articleBySlug(t, st, "derby-preview-draft")
	if draft.Status != news.StatusDraft || !draft.PublishedAt.IsZero() || draft.Section.Path != "sports" || draft.Authors[0].Name != "Choi Min-jun" {
		t.Errorf("draft %+v", draft)
	}
	if _, err := st.RedirectFor(ctx, "/?p=103"); !news.IsNotFound(err) {
		t.Errorf("a draft got a redirect: %v", err)
	}
	ferry := articleBySlug(t, st, "ferries-fog")
	if ferry.Headline != "Ferries & fog: a season of delays" || ferry.Section.Path != "local-news" {
		t.Errorf("ferry %q in %s", ferry.Headline, ferry.Section.Path)
	}

	// Running it again creates nothing.
	before, _ := st.CountArticles(ctx)
	again, err := importFile(t, st, "export.xml", Options{})
	if err != nil {
		t.Fatal(err)
	}
	after, _ := st.CountArticles(ctx)
	secs2, _ := st.ListSections(ctx)
	authors, _ := st.ListAuthors(ctx)
	comments2, _ := st.ExportComments(ctx, 0)
	if after != before || again.AlreadyImported != 3 || again.Posts != 0 || len(secs2) != len(secs) || len(authors) != 2 || len(comments2) != 2 {
		t.Errorf("second run: %d -> %d articles, %+v, %d sections, %d authors, %d comments", before, after, again, len(secs2), len(authors), len(comments2))
	}

	// Pages come with --pages, into a Pages section.
	withPages, err := importFile(t, st, "export.xml", Options{Pages: true})
	if err != nil || withPages.Pages != 1 {
		t.Fatalf("--pages: %+v %v", withPages, err)
	}
	about := articleBySlug(t, st, "about")
	if about.Section.Path != "pages" {
		t.Errorf("page in %s", about.Section.Path)
	}
}

func TestImportStagesCommentsWithoutCommentStore(t *testing.T) {
	st := openStore(t)
	f, _ := os.Open("testdata/export.xml")
	defer f.Close()
	d := deps(st)
	d.Comments = nil
	stats, err := Import(ctx, f, d, Options{})
	if err != nil || stats.Comments != 2 {
		t.Fatalf("%+v %v", stats, err)
	}
	var n int
	st.Reader().QueryRow(`SELECT count(*) FROM wp_comments`).Scan(&n)
	if n != 2 {
		t.Errorf("staged %d comments, want 2 (spam and pending left out)", n)
	}
}

func TestImportDryRun(t *testing.T) {
	st := openStore(t)
	stats, err := importFile(t, st, "export.xml", Options{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Posts != 3 || stats.Sections != 3 || stats.Authors != 2 || stats.Comments != 2 {
		t.Errorf("dry run stats %+v", stats)
	}
	n, _ := st.CountArticles(ctx)
	secs, _ := st.ListSections(ctx)
	authors, _ := st.ListAuthors(ctx)
	if n != 0 || len(secs) != 0 || len(authors) != 0 {
		t.Errorf("dry run wrote %d articles, %d sections, %d authors", n, len(secs), len(authors))
	}
}

func TestImportLocalFeaturedImage(t *testing.T) {
	st := openStore(t)
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "2019", "05"), 0o755)
	var buf bytes.Buffer
	jpeg.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 1200, 800)), nil)
	os.WriteFile(filepath.Join(dir, "2019", "05", "wall.jpg"), buf.Bytes(), 0o644)
	stats, err := importFile(t, st, "export.xml", Options{MediaDir: dir})
	if err != nil || stats.Images != 1 {
		t.Fatalf("%+v %v", stats, err)
	}
	a := articleBySlug(t, st, "council-harbour-wall")
	if a.Image == nil || !strings.HasPrefix(a.Image.URL, "/media/") || a.Image.SrcSet == "" || a.Image.Width != 1200 {
		t.Errorf("image %+v, want one from the media library with renditions", a.Image)
	}
	items, _, _ := st.ListMedia(ctx, news.MediaQuery{})
	if len(items) != 1 || items[0].Alt != "The harbour wall, broken in three places" {
		t.Errorf("media %+v", items)
	}
}

func TestImportAuthorDefault(t *testing.T) {
	st := openStore(t)
	desk := news.Author{Name: "News Desk", Slug: "desk"}
	if err := st.CreateAuthor(ctx, &desk); err != nil {
		t.Fatal(err)
	}
	src := `<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<item><title>Orphan</title><dc:creator>ghost</dc:creator><wp:post_id>9</wp:post_id><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
</channel></rss>`
	stats, err := Import(ctx, strings.NewReader(src), deps(st), Options{AuthorDefault: "desk"})
	if err != nil || stats.Posts != 1 {
		t.Fatalf("%+v %v", stats, err)
	}
	a := articleBySlug(t, st, "orphan")
	if a.Authors[0].ID != desk.ID || a.Section.Path != "uncategorized" {
		t.Errorf("authors %+v section %s", a.Authors, a.Section.Path)
	}
	if _, err := Import(ctx, strings.NewReader(src), deps(st), Options{AuthorDefault: "nobody"}); !news.IsNotFound(err) {
		t.Errorf("unknown --author-default: %v", err)
	}
}

func TestImportRefusesHostileFiles(t *testing.T) {
	tests := []struct {
		file string
		want []string
	}{
		{"truncated.xml", []string{"line 55", "truncated"}},
		{"malformed.xml", []string{"line 108", "malformed XML", "</wp:post_idx> closes <wp:post_id>"}},
		{"billion-laughs.xml", []string{"line 13", "DOCTYPE", "entity-expansion"}},
		{"external-entity.xml", []string{"line 4", "DOCTYPE", "external-entity"}},
		{"undeclared-entity.xml", []string{"line 5", "malformed XML", "entity"}},
		{"not-wxr.xml", []string{"not a WordPress export"}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			st := openStore(t)
			_, err := importFile(t, st, tc.file, Options{})
			if err == nil {
				t.Fatal("imported a hostile file")
			}
			var we *Error
			if !errors.As(err, &we) {
				t.Errorf("error %T %v is not a wpimport.Error", err, err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			n, _ := st.CountArticles(ctx)
			secs, _ := st.ListSections(ctx)
			if n != 0 || len(secs) != 0 {
				t.Errorf("a refused file changed the database: %d articles, %d sections", n, len(secs))
			}
		})
	}
}

func TestImportFieldLimits(t *testing.T) {
	big := `<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<item><title>Huge</title><content:encoded>` + strings.Repeat("a", 5000) + `</content:encoded><wp:post_id>1</wp:post_id></item></channel></rss>`
	_, err := Check(strings.NewReader(big), Limits{MaxField: 1000, MaxChildren: 100, MaxDepth: 8})
	if err == nil || !strings.Contains(err.Error(), "more than") {
		t.Errorf("oversized field: %v", err)
	}
	deep := `<?xml version="1.0"?><rss><channel><item>` + strings.Repeat("<x>", 50) + strings.Repeat("</x>", 50) + `</item></channel></rss>`
	if _, err := Check(strings.NewReader(deep), DefaultLimits); err == nil || !strings.Contains(err.Error(), "nested too deeply") {
		t.Errorf("deep nesting: %v", err)
	}
	many := `<?xml version="1.0"?><rss><channel><item>` + strings.Repeat("<x/>", 200) + `</item></channel></rss>`
	if _, err := Check(strings.NewReader(many), Limits{MaxField: 1000, MaxChildren: 100, MaxDepth: 8}); err == nil || !strings.Contains(err.Error(), "child elements") {
		t.Errorf("many children: %v", err)
	}
	wide := `<?xml version="1.0"?><rss><channel><item>` + strings.Repeat("<x>"+strings.Repeat("a", 900)+"</x>", 50) + `</item></channel></rss>`
	if _, err := Check(strings.NewReader(wide), Limits{MaxField: 1000, MaxChildren: 100, MaxDepth: 8, MaxEntry: 20 << 10}); err == nil || !strings.Contains(err.Error(), "one <item> holds more than") {
		t.Errorf("entry total: %v", err)
	}
	latin := `<?xml version="1.0" encoding="ISO-8859-1"?><rss><channel></channel></rss>`
	if _, err := Check(strings.NewReader(latin), DefaultLimits); err == nil || !strings.Contains(err.Error(), "UTF-8") {
		t.Errorf("latin-1: %v", err)
	}
}
