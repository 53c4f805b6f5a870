package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"byline/internal/markup"
	"byline/internal/news"
)

// Generate adds n synthetic articles for benchmarks and load tests: their
// sentences are reshuffled from the demo articles, so text, word
// frequencies and lengths look like news. The same seed gives the same
// archive. Articles are spread over the last `span` before now.
func Generate(ctx context.Context, st news.Store, n int, seed uint64, now time.Time, span time.Duration, progress func(done int)) error {
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
	var sentences, headlines []string
	var tags []string
	seenTag := map[string]bool{}
	for _, a := range arts {
		headlines = append(headlines, a.Fields["Headline"])
		for _, p := range strings.Split(md.Text(a.Body), "\n\n") {
			for _, s := range strings.SplitAfter(p, ". ") {
				if s = strings.TrimSpace(s); len(s) > 30 {
					sentences = append(sentences, s)
				}
			}
		}
		for _, t := range strings.Split(a.Fields["Tags"], ",") {
			if t = strings.TrimSpace(t); t != "" && !seenTag[t] {
				seenTag[t] = true
				tags = append(tags, t)
			}
		}
	}
	var leafs []news.Section
	for _, s := range secs {
		leafs = append(leafs, s)
	}
	var aus []news.Author
	for _, a := range authors {
		aus = append(aus, a)
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	// Map iteration order is random; sort for a reproducible archive.
	sortSections(leafs)
	sortAuthors(aus)
	for i := 0; i < n; i++ {
		h := headlines[rng.IntN(len(headlines))]
		words := strings.Fields(sentences[rng.IntN(len(sentences))])
		h = strings.TrimRight(strings.Join(words[:min(len(words), 6+rng.IntN(6))], " "), ",.;:") + " — " + h
		h = markup.Summary(h, news.MaxHeadline-10)
		var body strings.Builder
		paras := 4 + rng.IntN(8)
		for p := 0; p < paras; p++ {
			for k := 0; k < 2+rng.IntN(3); k++ {
				body.WriteString(sentences[rng.IntN(len(sentences))])
				body.WriteByte(' ')
			}
			body.WriteString("\n\n")
		}
		a := news.Article{
			Slug:        fmt.Sprintf("%s-%d", news.Slugify(markup.Summary(h, 60)), i+1),
			SectionID:   leafs[rng.IntN(len(leafs))].ID,
			Headline:    h,
			Dek:         sentences[rng.IntN(len(sentences))],
			Body:        body.String(),
			Status:      news.StatusPublished,
			PublishedAt: now.Add(-time.Duration(rng.Int64N(int64(span)))).UTC().Truncate(time.Second),
			Authors:     []news.Author{aus[rng.IntN(len(aus))]},
			Tags:        []string{tags[rng.IntN(len(tags))], tags[rng.IntN(len(tags))]},
		}
		if len(a.Slug) > news.MaxSlug {
			a.Slug = a.Slug[len(a.Slug)-news.MaxSlug:]
			a.Slug = strings.TrimLeft(a.Slug, "-")
		}
		a.BodyText = md.Text(a.Body)
		if err := st.CreateArticle(ctx, &a); err != nil {
			return fmt.Errorf("generated article %d: %w", i+1, err)
		}
		if progress != nil && (i+1)%1000 == 0 {
			progress(i + 1)
		}
	}
	return nil
}

func sortSections(s []news.Section) {
	slices.SortFunc(s, func(a, b news.Section) int { return strings.Compare(a.Path, b.Path) })
}

func sortAuthors(s []news.Author) {
	slices.SortFunc(s, func(a, b news.Author) int { return strings.Compare(a.Slug, b.Slug) })
}
