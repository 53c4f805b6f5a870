package storetest

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

// The generated paper on which both engines' benchmarks (and the
// PostgreSQL parity test) run, so that the engines are measured on the
// same data.

type BenchListCase struct {
	Name string
	Q    news.ArticleQuery
}

func BenchListCases(p BenchPaper) []BenchListCase {
	return []BenchListCase{
		{"home", news.ArticleQuery{Limit: 20}},
		{"section", news.ArticleQuery{SectionIDs: p.Subtree, Limit: 20}},
		{"tag", news.ArticleQuery{Tag: "housing", Limit: 20}},
		{"author", news.ArticleQuery{AuthorID: p.Authors[3].ID, Limit: 20}},
		{"page100", news.ArticleQuery{Limit: 20, Offset: 2000}},
		{"drafts", news.ArticleQuery{Status: news.StatusDraft, Limit: 50}},
	}
}

// The searches look for words by their rank in BenchVocab, so each case
// matches the share of the paper its name says.
var BenchSearchCases = []struct{ Name, Text string }{
	{"common", BenchVocab[3]},                             // in about two thirds of the paper
	{"medium", BenchVocab[150]},                           // about a fifth
	{"two-words", BenchVocab[10] + " " + BenchVocab[100]}, // both words: about a sixth
	{"rare", BenchVocab[8000]},                            // about one in two hundred
	{"none", "zeppelin"},                                  // nowhere
}

type BenchPaper struct {
	Sections []news.Section
	Subtree  []int64 // the first top section and its children
	Authors  []news.Author
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

// BenchVocab is benchWords followed by made-up words (consonant-vowel
// syllables, so they never spell "zeppelin"): a vocabulary of a real
// paper's size, in which a Zipf law makes a few words common and most rare.
var BenchVocab = func() []string {
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

// GeneratePaper fills s with n articles made from a fixed seed: words of
// BenchVocab, one article every 23 minutes back from base, a tenth of them
// drafts or scheduled, one in fifty with a correction.
// The newest article is published at base.
func GeneratePaper(tb testing.TB, s news.Store, n int, base time.Time) BenchPaper {
	tb.Helper()
	ctx := context.Background()
	base = base.UTC().Truncate(time.Second)
	var p BenchPaper
	for i, name := range []string{"National", "Business", "World", "Culture"} {
		sec := news.Section{Name: name, Position: i}
		if err := s.CreateSection(ctx, &sec); err != nil {
			tb.Fatal(err)
		}
		p.Sections = append(p.Sections, sec)
	}
	p.Subtree = []int64{p.Sections[0].ID}
	for i, name := range []string{"Politics", "Education", "Health"} {
		sec := news.Section{Name: name, ParentID: p.Sections[0].ID, Position: i}
		if err := s.CreateSection(ctx, &sec); err != nil {
			tb.Fatal(err)
		}
		p.Sections = append(p.Sections, sec)
		p.Subtree = append(p.Subtree, sec.ID)
	}
	for i := range 20 {
		a := news.Author{Name: fmt.Sprintf("Reporter %c%c", 'A'+i%26, 'a'+i*7%26)}
		if err := s.CreateAuthor(ctx, &a); err != nil {
			tb.Fatal(err)
		}
		p.Authors = append(p.Authors, a)
	}
	r := rand.New(rand.NewPCG(2026, 11))
	zipf := rand.NewZipf(r, 1.05, 30, uint64(len(BenchVocab)-1))
	words := func(k int) string {
		w := make([]string, k)
		for i := range w {
			w[i] = BenchVocab[zipf.Uint64()]
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
			SectionID:   p.Sections[r.IntN(len(p.Sections))].ID,
			Headline:    words(4 + r.IntN(6)),
			Dek:         words(12 + r.IntN(12)),
			Body:        body.String(),
			BodyText:    body.String(),
			Status:      news.StatusPublished,
			PublishedAt: base.Add(-time.Duration(i) * 23 * time.Minute),
			Top:         r.IntN(10) == 0,
			Authors:     []news.Author{p.Authors[r.IntN(len(p.Authors))]},
		}
		for range r.IntN(4) {
			a.Tags = append(a.Tags, benchTags[r.IntN(len(benchTags))])
		}
		if r.IntN(4) == 0 {
			a.Authors = append(a.Authors, p.Authors[r.IntN(len(p.Authors))])
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
