package demo

import (
	"context"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"byline/internal/news"
	"byline/internal/store/sqlitestore"
)

func openStore(t *testing.T) *sqlitestore.Store {
	t.Helper()
	st, err := sqlitestore.Open(context.Background(), filepath.Join(t.TempDir(), "byline.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestArticlesParse(t *testing.T) {
	arts, err := Articles()
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) < 25 {
		t.Fatalf("%d demo articles, want at least 25", len(arts))
	}
	slugs := map[string]bool{}
	for _, a := range arts {
		if slugs[a.Fields["Slug"]] {
			t.Errorf("%s: duplicate slug %q", a.File, a.Fields["Slug"])
		}
		slugs[a.Fields["Slug"]] = true
		if !news.ValidSlug(a.Fields["Slug"]) {
			t.Errorf("%s: bad slug %q", a.File, a.Fields["Slug"])
		}
		if len(strings.Fields(a.Body)) < 150 {
			t.Errorf("%s: body of %d words; demo articles should read like real ones", a.File, len(strings.Fields(a.Body)))
		}
		if a.Age <= 0 {
			t.Errorf("%s: Age %s", a.File, a.Age)
		}
	}
}

func TestParseArticleRefusals(t *testing.T) {
	for name, src := range map[string]string{
		"no blank line":  "Slug: x",
		"no colon":       "Slug x\n\nbody",
		"missing fields": "Slug: x\n\nbody",
		"bad age":        "Slug: x\nSection: s\nHeadline: h\nAuthors: a\nAge: soon\n\nbody",
		"bad updated":    "Slug: x\nSection: s\nHeadline: h\nAuthors: a\nAge: 1h\nUpdated: later\n\nbody",
	} {
		if _, err := parseArticle(name, src); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
}

func TestLoad(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	media := t.TempDir()
	now := time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)
	if err := Load(ctx, st, Options{MediaDir: media, Now: now}); err != nil {
		t.Fatal(err)
	}
	arts, _ := Articles()
	n, err := st.CountArticles(ctx)
	if err != nil || n != len(arts) {
		t.Errorf("stored %d articles (%v), want %d", n, err, len(arts))
	}
	secs, _ := st.ListSections(ctx)
	if len(secs) != 17 {
		t.Errorf("%d sections, want 17", len(secs))
	}
	authors, _ := st.ListAuthors(ctx)
	if len(authors) < 5 {
		t.Errorf("%d authors", len(authors))
	}
	list, err := st.ListArticles(ctx, news.ArticleQuery{Limit: 100, Now: now})
	if err != nil || list.Total != len(arts) {
		t.Fatalf("visible at now: %d (%v), want all %d", list.Total, err, len(arts))
	}
	var corrected, withImage, top int
	for _, x := range list.Articles {
		a, err := st.ArticleByID(ctx, x.ID)
		if err != nil {
			t.Fatal(err)
		}
		if a.PublishedAt.After(now) || len(a.Authors) == 0 || a.Body == "" || a.BodyText == "" {
			t.Errorf("%s: published %s, %d authors, body %d bytes", a.Slug, a.PublishedAt, len(a.Authors), len(a.Body))
		}
		if len(a.Corrections) > 0 {
			corrected++
		}
		if a.Top {
			top++
		}
		if a.Image != nil {
			withImage++
			f, err := os.Open(filepath.Join(media, strings.TrimPrefix(a.Image.URL, "/media/")))
			if err != nil {
				t.Errorf("%s: image %s: %v", a.Slug, a.Image.URL, err)
				continue
			}
			cfg, err := jpeg.DecodeConfig(f)
			f.Close()
			if err != nil || cfg.Width != a.Image.Width || cfg.Height != a.Image.Height {
				t.Errorf("%s: image %dx%d (%v), stored as %dx%d", a.Slug, cfg.Width, cfg.Height, err, a.Image.Width, a.Image.Height)
			}
			if a.Image.Alt == "" {
				t.Errorf("%s: image without alt text", a.Slug)
			}
			// The picture is a record of the media library, with the
			// article's texts, and every file it lists exists.
			m, err := st.MediaByPath(ctx, strings.TrimPrefix(a.Image.URL, "/media/"))
			if err != nil {
				t.Errorf("%s: image %s is not in the media library: %v", a.Slug, a.Image.URL, err)
				continue
			}
			if m.Alt != a.Image.Alt || m.Caption != a.Image.Caption || m.Caption == "" || m.Credit != a.Image.Credit || m.Credit == "" || m.SrcSet() != a.Image.SrcSet {
				t.Errorf("%s: library record %+v does not match the article's image %+v", a.Slug, m, *a.Image)
			}
			for _, p := range m.Files() {
				if st, err := os.Stat(filepath.Join(media, p)); err != nil || (p == m.Path && st.Size() != m.Bytes) {
					t.Errorf("%s: file %s: %v", a.Slug, p, err)
				}
			}
		}
	}
	if corrected == 0 || withImage < 5 || top == 0 {
		t.Errorf("%d corrected, %d with images, %d top: the demo should show each feature", corrected, withImage, top)
	}
	if _, total, err := st.ListMedia(ctx, news.MediaQuery{}); err != nil || total != withImage {
		t.Errorf("media library holds %d items (%v), want the %d pictures of the demo", total, err, withImage)
	}
	// Never into a paper that has articles.
	if err := Load(ctx, st, Options{MediaDir: media, Now: now}); err == nil || !strings.Contains(err.Error(), "already has") {
		t.Errorf("second Load: %v, want a refusal", err)
	}
}

func TestGenerate(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)
	headlines := func(seed uint64) []string {
		st := openStore(t)
		if err := Generate(ctx, st, 300, seed, now, 30*24*time.Hour, nil); err != nil {
			t.Fatal(err)
		}
		list, err := st.ListArticles(ctx, news.ArticleQuery{Limit: 300, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if list.Total != 300 {
			t.Errorf("visible %d, want 300", list.Total)
		}
		var out []string
		for _, a := range list.Articles {
			if a.PublishedAt.Before(now.Add(-30*24*time.Hour)) || a.PublishedAt.After(now) {
				t.Errorf("%s published %s, outside the span", a.Slug, a.PublishedAt)
			}
			out = append(out, a.Headline)
		}
		return out
	}
	a, b, c := headlines(1), headlines(1), headlines(2)
	if strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Error("the same seed gave different archives")
	}
	if strings.Join(a, "\n") == strings.Join(c, "\n") {
		t.Error("different seeds gave the same archive")
	}
}
