package pgstore

// Benchmarks of the read paths readers hit most, on a generated paper of
// benchArticles articles. Their twin for SQLite, over the same generated
// paper, is internal/store/sqlitestore/bench_test.go; compare with
//
//	eval "$(scripts/pg-test.sh)"
//	go test -run '^$' -bench . -benchtime 2s ./internal/store/pgstore/ ./internal/store/sqlitestore/

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"byline/internal/news"
)

const benchArticles = 5000

func BenchmarkListArticles(b *testing.B) {
	s, err := OpenConfig(context.Background(), freshSchema(b, "byline_bench"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	p := benchGenerate(b, s, benchArticles, time.Now().Add(-time.Hour))
	analyze(b, s)
	for _, c := range benchListCases(p) {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.ListArticles(context.Background(), c.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkSearch(b *testing.B) {
	s, err := OpenConfig(context.Background(), freshSchema(b, "byline_bench"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	benchGenerate(b, s, benchArticles, time.Now().Add(-time.Hour))
	analyze(b, s)
	for _, c := range benchSearchCases {
		b.Run(c.name, func(b *testing.B) {
			var hits int
			for b.Loop() {
				res, err := s.Search(context.Background(), news.SearchQuery{Text: c.text})
				if err != nil {
					b.Fatal(err)
				}
				hits = res.Total
			}
			b.ReportMetric(float64(hits), "hits")
		})
	}
}

// analyze brings the database to the state autovacuum keeps a live paper
// in a moment after a bulk load: planner statistics, and a visibility map
// that lets counts be answered from indexes alone.
func analyze(tb testing.TB, s *Store) {
	if _, err := s.Pool().Exec(context.Background(), `VACUUM ANALYZE`); err != nil {
		tb.Fatal(err)
	}
}

// ---- The generated paper. Keep it the same as sqlitestore's bench_test.go,
// so that the two engines are measured on the same data.

type benchListCase struct {
	name string
	q    news.ArticleQuery
}

func benchListCases(p benchPaper) []benchListCase {
	return []benchListCase{
		{"home", news.ArticleQuery{Limit: 20}},
		{"section", news.ArticleQuery{SectionIDs: p.subtree, Limit: 20}},
		{"tag", news.ArticleQuery{Tag: "housing", Limit: 20}},
		{"author", news.ArticleQuery{AuthorID: p.authors[3].ID, Limit: 20}},
		{"page100", news.ArticleQuery{Limit: 20, Offset: 2000}},
		{"drafts", news.ArticleQuery{Status: news.StatusDraft, Limit: 50}},
	}
}

// The searches look for words by their rank in benchVocab, so each case
// matches the share of the paper its name says.
var benchSearchCases = []struct{ name, text string }{
	{"common", benchVocab[3]},                             // in about two thirds of the paper
	{"medium", benchVocab[150]},                           // about a fifth
	{"two-words", benchVocab[10] + " " + benchVocab[100]}, // both words: about a sixth
	{"rare", benchVocab[8000]},                            // about one in two hundred
	{"none", "zeppelin"},                                  // nowhere
}

type benchPaper struct {
	sections []news.Section
	subtree  []int64 // the first top section and its children
	authors  []news.Author
}

var benchWords = strings.Fields(`
	government minister assembly lawmakers bill budget election party president court ruling
	market markets stocks shares investors bank banks rate rates inflation prices economy growth
	exports imports trade tariff semiconductor chips battery batteries factory factories plant plants
	housing apartment rent prices loans debt household households mortgage lending regulators
	company companies profit profits quarter earnings revenue sales orders shipyard shipbuilders
	workers union strike wages jobs employment unemployment hiring pension retirement welfare
	school schools students teachers university exam education parents children birth rate
	hospital hospitals doctors patients emergency health care rural city province region capital
	police prosecutors investigation arrest trial judge verdict sentence appeal supreme
	weather storm rain snow flights airport travel tourists festival culture film music drama
	technology software platform internet mobile phone data privacy security artificial intelligence
	energy power nuclear solar wind electricity gas oil coal climate emissions carbon
	military defense missile missiles launch north south talks summit alliance sanctions
	said says according officials spokesman statement report survey data figures percent
	million billion trillion won dollar dollars yen yuan euro year years month months week
	monday tuesday wednesday thursday friday weekend morning evening night early late
	new old large small higher lower rising falling strong weak record first last next
	plan plans policy policies reform reforms measure measures proposal proposals support
	expand expanding expansion cut cuts cutting raise raised raising hold holds held
	announce announced announcement expect expected expects warn warned warning concern concerns`)

var benchTags = strings.Fields(`housing budget inflation semiconductors exports elections education health
	weather defense energy labor technology courts banking travel culture welfare climate trade`)

// benchVocab is benchWords followed by made-up words (consonant-vowel
// syllables, so they never spell "zeppelin"): a vocabulary of a real
// paper's size, in which a Zipf law makes a few words common and most rare.
var benchVocab = func() []string {
	v := slices.Clone(benchWords)
	seen := map[string]bool{}
	for _, w := range v {
		seen[w] = true
	}
	const cons, vows = "bdfgklmnprstvz", "aeiou"
	for i := 0; len(v) < 20000; i++ {
		var w []byte
		for n := i; len(w) < 6; n /= len(cons) * len(vows) {
			w = append(w, cons[n%len(cons)], vows[n/len(cons)%len(vows)])
		}
		if !seen[string(w)] {
			seen[string(w)] = true
			v = append(v, string(w))
		}
	}
	return v
}()

// benchGenerate fills s with n articles made from a fixed seed: words of
// benchVocab, one article every 23 minutes back from base, a tenth of them
// drafts or scheduled, one in fifty with a correction.
// The newest article is published at base.
func benchGenerate(tb testing.TB, s news.Store, n int, base time.Time) benchPaper {
	tb.Helper()
	ctx := context.Background()
	base = base.UTC().Truncate(time.Second)
	var p benchPaper
	for i, name := range []string{"National", "Business", "World", "Culture"} {
		sec := news.Section{Name: name, Position: i}
		if err := s.CreateSection(ctx, &sec); err != nil {
			tb.Fatal(err)
		}
		p.sections = append(p.sections, sec)
	}
	p.subtree = []int64{p.sections[0].ID}
	for i, name := range []string{"Politics", "Education", "Health"} {
		sec := news.Section{Name: name, ParentID: p.sections[0].ID, Position: i}
		if err := s.CreateSection(ctx, &sec); err != nil {
			tb.Fatal(err)
		}
		p.sections = append(p.sections, sec)
		p.subtree = append(p.subtree, sec.ID)
	}
	for i := range 20 {
		a := news.Author{Name: fmt.Sprintf("Reporter %c%c", 'A'+i%26, 'a'+i*7%26)}
		if err := s.CreateAuthor(ctx, &a); err != nil {
			tb.Fatal(err)
		}
		p.authors = append(p.authors, a)
	}
	r := rand.New(rand.NewPCG(2026, 11))
	zipf := rand.NewZipf(r, 1.05, 30, uint64(len(benchVocab)-1))
	words := func(k int) string {
		w := make([]string, k)
		for i := range w {
			w[i] = benchVocab[zipf.Uint64()]
		}
		return strings.Join(w, " ")
	}
	for i := range n {
		var body strings.Builder
		for range 3 + r.IntN(6) {
			for range 3 + r.IntN(4) {
				sent := words(8 + r.IntN(14))
				body.WriteString(strings.ToUpper(sent[:1]) + sent[1:] + ". ")
			}
			body.WriteString("\n\n")
		}
		a := news.Article{
			SectionID:   p.sections[r.IntN(len(p.sections))].ID,
			Headline:    words(4 + r.IntN(6)),
			Dek:         words(12 + r.IntN(12)),
			Body:        body.String(),
			BodyText:    body.String(),
			Status:      news.StatusPublished,
			PublishedAt: base.Add(-time.Duration(i) * 23 * time.Minute),
			Top:         r.IntN(10) == 0,
			Authors:     []news.Author{p.authors[r.IntN(len(p.authors))]},
		}
		for range r.IntN(4) {
			a.Tags = append(a.Tags, benchTags[r.IntN(len(benchTags))])
		}
		if r.IntN(4) == 0 {
			a.Authors = append(a.Authors, p.authors[r.IntN(len(p.authors))])
		}
		switch r.IntN(20) {
		case 0:
			a.Status, a.PublishedAt = news.StatusDraft, time.Time{}
		case 1:
			a.Status, a.PublishedAt = news.StatusScheduled, base.Add(time.Duration(1+i)*time.Hour)
		}
		if err := s.CreateArticle(ctx, &a); err != nil {
			tb.Fatal(err)
		}
		if r.IntN(50) == 0 {
			c := news.Correction{ArticleID: a.ID, Body: "An earlier version misstated a figure.", CreatedAt: a.PublishedAt.Add(time.Hour)}
			if a.PublishedAt.IsZero() {
				c.CreatedAt = base
			}
			if err := s.AddCorrection(ctx, &c); err != nil {
				tb.Fatal(err)
			}
		}
	}
	return p
}
