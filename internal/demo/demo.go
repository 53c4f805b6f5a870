// Package demo loads the sample paper that `byline serve --demo` shows a
// new user, and generates large synthetic archives for benchmarks. The
// sample articles, sections and authors are original text kept under
// content/.
package demo

import (
	"bufio"
	"context"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"byline/internal/markup"
	"byline/internal/news"
)

//go:embed content
var content embed.FS

// Article is one parsed demo article file.
type Article struct {
	File          string
	Fields        map[string]string
	Body          string
	Age           time.Duration
	Updated       time.Duration
	CorrectionAge time.Duration
}

// Articles parses every demo article.
func Articles() ([]Article, error) {
	names, err := fs.Glob(content, "content/articles/*.md")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []Article
	for _, n := range names {
		b, err := content.ReadFile(n)
		if err != nil {
			return nil, err
		}
		a, err := parseArticle(n, string(b))
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

func parseArticle(name, src string) (Article, error) {
	a := Article{File: name, Fields: map[string]string{}}
	head, body, ok := strings.Cut(strings.ReplaceAll(src, "\r\n", "\n"), "\n\n")
	if !ok {
		return a, fmt.Errorf("%s: no blank line after the header", name)
	}
	for _, line := range strings.Split(head, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			return a, fmt.Errorf("%s: header line %q has no colon", name, line)
		}
		a.Fields[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	a.Body = strings.TrimSpace(body)
	for _, req := range []string{"Slug", "Section", "Headline", "Authors", "Age"} {
		if a.Fields[req] == "" {
			return a, fmt.Errorf("%s: missing %s", name, req)
		}
	}
	var err error
	if a.Age, err = time.ParseDuration(a.Fields["Age"]); err != nil {
		return a, fmt.Errorf("%s: Age: %w", name, err)
	}
	if v := a.Fields["Updated"]; v != "" {
		if a.Updated, err = time.ParseDuration(v); err != nil {
			return a, fmt.Errorf("%s: Updated: %w", name, err)
		}
	}
	if v := a.Fields["CorrectionAge"]; v != "" {
		if a.CorrectionAge, err = time.ParseDuration(v); err != nil {
			return a, fmt.Errorf("%s: CorrectionAge: %w", name, err)
		}
	}
	return a, nil
}

func tsv(name string) ([][]string, error) {
	f, err := content.Open("content/" + name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var rows [][]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := sc.Text(); strings.TrimSpace(line) != "" && !strings.HasPrefix(line, "#") {
			rows = append(rows, strings.Split(line, "\t"))
		}
	}
	return rows, sc.Err()
}

// Options say where the demo writes its images and what "now" is.
type Options struct {
	MediaDir string // images are written under MediaDir/demo
	Now      time.Time
	// Monitor adds a year of weekly "State media monitor" columns and
	// the published term tracker that charts them (MonitorArticles
	// articles more); `byline demo` and `serve --demo` turn it on.
	Monitor bool
}

// Load fills an empty store with the demo paper. It refuses a store that
// already has articles, so it can never mix with real content.
func Load(ctx context.Context, st news.Store, opt Options) error {
	n, err := st.CountArticles(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("the database already has %d articles; the demo loads only into an empty paper", n)
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	secs, err := ensureSections(ctx, st)
	if err != nil {
		return err
	}
	authors, err := ensureAuthors(ctx, st)
	if err != nil {
		return err
	}
	arts, err := Articles()
	if err != nil {
		return err
	}
	md := markup.New()
	ids := map[string]int64{}
	for _, da := range arts {
		f := da.Fields
		sec, ok := secs[f["Section"]]
		if !ok {
			return fmt.Errorf("%s: unknown section %q", da.File, f["Section"])
		}
		a := news.Article{Slug: f["Slug"], SectionID: sec.ID, Headline: f["Headline"], Kicker: f["Kicker"], Dek: f["Dek"], Body: da.Body,
			BodyText: md.Text(da.Body), Dateline: f["Dateline"], Status: news.StatusPublished, Top: f["Top"] == "yes",
			PublishedAt: opt.Now.Add(-da.Age).UTC().Truncate(time.Second)}
		a.CreatedAt = a.PublishedAt.Add(-2 * time.Hour)
		if da.Updated > 0 {
			a.UpdatedAt = opt.Now.Add(-da.Updated).UTC().Truncate(time.Second)
		}
		for _, slug := range strings.Split(f["Authors"], ",") {
			au, ok := authors[strings.TrimSpace(slug)]
			if !ok {
				return fmt.Errorf("%s: unknown author %q", da.File, slug)
			}
			a.Authors = append(a.Authors, au)
		}
		for _, t := range strings.Split(f["Tags"], ",") {
			if t = strings.TrimSpace(t); t != "" {
				a.Tags = append(a.Tags, t)
			}
		}
		// The demo's pictures are illustrations, not the photographs the
		// articles describe (Image:), so they carry no photo credit. Each
		// is a record of the media library, as an upload would be.
		if desc := f["Image"]; desc != "" && opt.MediaDir != "" {
			m, err := writeImage(opt.MediaDir, a.Slug, sec.Path)
			if err != nil {
				return err
			}
			m.Caption = f["Caption"]
			m.CreatedAt = a.CreatedAt
			if err := st.CreateMedia(ctx, &m); err != nil {
				return fmt.Errorf("%s: image: %w", da.File, err)
			}
			a.Image = &news.Image{}
			*a.Image = m.Image()
		}
		if err := st.CreateArticle(ctx, &a); err != nil {
			return fmt.Errorf("%s: %w", da.File, err)
		}
		ids[a.Slug] = a.ID
		if flags := f["Flags"]; flags != "" {
			var fl []string
			for _, x := range strings.Split(flags, ",") {
				fl = append(fl, strings.TrimSpace(x))
			}
			if err := st.SetArticleFlags(ctx, a.ID, fl); err != nil {
				return fmt.Errorf("%s: flags: %w", da.File, err)
			}
		}
		if text := f["Correction"]; text != "" {
			c := news.Correction{ArticleID: a.ID, Body: text, CreatedAt: opt.Now.Add(-da.CorrectionAge).UTC().Truncate(time.Second)}
			if err := st.AddCorrection(ctx, &c); err != nil {
				return fmt.Errorf("%s: correction: %w", da.File, err)
			}
		}
	}
	if err := loadStory(ctx, st, opt.Now, ids); err != nil {
		return err
	}
	if opt.Monitor {
		if err := loadMonitor(ctx, st, secs, authors, opt.Now); err != nil {
			return err
		}
	}
	if err := loadDictionary(ctx, st); err != nil {
		return err
	}
	return demoRules(ctx, st, opt.Now)
}

// Names under which the demo's word lists are stored.
const (
	GlossaryBy    = "demo"
	BilingualName = "demo-en-ko"
)

// loadDictionary loads the demo paper's glossary (the agencies, papers,
// places and people of its stories) and its small English–Korean word
// list, so that a reader of the demo sees both on the dictionary card.
func loadDictionary(ctx context.Context, st news.Store) error {
	rows, err := tsv("glossary.tsv")
	if err != nil {
		return err
	}
	var gl []news.GlossaryEntry
	for i, r := range rows {
		if len(r) < 3 {
			return fmt.Errorf("glossary.tsv: entry %d has %d fields, want term, pos, definition[, korean[, note]]", i+1, len(r))
		}
		e := news.GlossaryEntry{Display: r[0], POS: r[1], Definition: r[2]}
		if len(r) > 3 {
			e.Korean = r[3]
		}
		if len(r) > 4 {
			e.Note = r[4]
		}
		gl = append(gl, e)
	}
	if _, err := st.ImportGlossary(ctx, gl, GlossaryBy); err != nil {
		return fmt.Errorf("demo glossary: %w", err)
	}
	rows, err = tsv("en-ko.tsv")
	if err != nil {
		return err
	}
	var bl []news.BilingualEntry
	for i, r := range rows {
		if len(r) < 2 {
			return fmt.Errorf("en-ko.tsv: entry %d has %d fields, want headword, translation[, note]", i+1, len(r))
		}
		e := news.BilingualEntry{Dictionary: BilingualName, Headword: r[0], Translation: r[1]}
		if len(r) > 2 {
			e.Note = r[2]
		}
		bl = append(bl, e)
	}
	if err := st.ReplaceBilingual(ctx, BilingualName, bl); err != nil {
		return fmt.Errorf("demo word list: %w", err)
	}
	return nil
}

// demoRules writes the demo paper's comment moderation rule: articles on
// court cases under way (flagged so by an editor) are pre-moderated.
func demoRules(ctx context.Context, st news.Store, now time.Time) error {
	r := news.ModRule{Name: "Active court cases", When: news.RuleWhen{Flags: []string{news.FlagCourtCase}}, Action: news.RulePremoderate,
		Message: "This case is before the courts: comments are read by a moderator before they appear.", Clause: "4",
		Editor: "demo", Note: "First version", CreatedAt: now.UTC()}
	if err := st.SaveModRule(ctx, &r); err != nil {
		return fmt.Errorf("demo moderation rule: %w", err)
	}
	return nil
}

// ensureSections creates the demo section tree (keeping sections that
// exist) and returns all sections by path.
func ensureSections(ctx context.Context, st news.Store) (map[string]news.Section, error) {
	rows, err := tsv("sections.tsv")
	if err != nil {
		return nil, err
	}
	existing, err := st.ListSections(ctx)
	if err != nil {
		return nil, err
	}
	byPath := map[string]news.Section{}
	for _, s := range existing {
		byPath[s.Path] = s
	}
	for i, r := range rows {
		if len(r) < 2 {
			return nil, fmt.Errorf("sections.tsv line %d: want path, name, description", i+1)
		}
		path := r[0]
		if _, ok := byPath[path]; ok {
			continue
		}
		parent, slug := "", path
		if j := strings.LastIndex(path, "/"); j >= 0 {
			parent, slug = path[:j], path[j+1:]
		}
		s := news.Section{Slug: slug, Name: r[1], Position: i}
		if len(r) > 2 {
			s.Description = r[2]
		}
		if parent != "" {
			p, ok := byPath[parent]
			if !ok {
				return nil, fmt.Errorf("sections.tsv: %s comes before its parent", path)
			}
			s.ParentID = p.ID
		}
		if err := st.CreateSection(ctx, &s); err != nil {
			return nil, fmt.Errorf("section %s: %w", path, err)
		}
		byPath[s.Path] = s
	}
	return byPath, nil
}

func ensureAuthors(ctx context.Context, st news.Store) (map[string]news.Author, error) {
	rows, err := tsv("authors.tsv")
	if err != nil {
		return nil, err
	}
	out := map[string]news.Author{}
	for i, r := range rows {
		if len(r) < 5 {
			return nil, fmt.Errorf("authors.tsv line %d: want slug, name, title, email, bio", i+1)
		}
		if a, err := st.AuthorBySlug(ctx, r[0]); err == nil {
			out[a.Slug] = a
			continue
		}
		a := news.Author{Slug: r[0], Name: r[1], Title: r[2], Email: r[3], Bio: r[4]}
		if err := st.CreateAuthor(ctx, &a); err != nil {
			return nil, fmt.Errorf("author %s: %w", r[0], err)
		}
		out[a.Slug] = a
	}
	return out, nil
}

// imageDir makes the demo image directory.
func imageDir(mediaDir string) (string, error) {
	dir := filepath.Join(mediaDir, "demo")
	return dir, os.MkdirAll(dir, 0o750)
}
