package dictionary

import (
	"runtime"
	"slices"
	"testing"
	"time"
)

// BenchmarkLoad measures decoding the embedded lexicon, the cost Open
// defers to the first look-up. It reports the heap the decoded lexicon
// keeps as heap-MB.
func BenchmarkLoad(b *testing.B) {
	var lx *Lexicon
	for b.Loop() {
		var err error
		if lx, err = Load(); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(heapMB(func() *Lexicon { l, _ := Load(); return l }), "heap-MB")
	runtime.KeepAlive(lx)
}

// heapMB returns the live heap that what keeps, in MB.
func heapMB(load func() *Lexicon) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	lx := load()
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(lx)
	return float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / (1 << 20)
}

// TestHeapAfterLoad logs the heap a decoded lexicon keeps (run with -v);
// BenchmarkLoad reports the same figure.
func TestHeapAfterLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes a second lexicon")
	}
	mb := heapMB(func() *Lexicon { l, _ := Load(); return l })
	t.Logf("heap kept by a loaded lexicon: %.1f MB", mb)
}

func BenchmarkLookup(b *testing.B) {
	lx := lexicon(b)
	cases := [][2]string{
		{"banging", "Someone was banging on the door."},
		{"sanctions", "The sanctions hurt exporters."},
		{"redoubled", "They redoubled their efforts."},
		{"better", ""},
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		c := cases[i%len(cases)]
		if _, err := lx.Lookup(c[0], c[1]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkLookupPhrase(b *testing.B) {
	lx := lexicon(b)
	cases := [][2]string{
		{"getting", "She was getting off the train at the last stop."},
		{"held up", "We were held up by traffic."},
		{"Korea", "Talks with North Korea stalled."},
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		c := cases[i%len(cases)]
		if _, err := lx.Lookup(c[0], c[1]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkSuggest(b *testing.B) {
	lx := lexicon(b)
	lx.Suggest("warm") // build the index outside the timing
	words := []string{"recieve", "goverment", "sanctoin", "definately", "nesw"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		lx.Suggest(words[i%len(words)])
		i++
	}
}

func BenchmarkMorphy(b *testing.B) {
	lx := lexicon(b)
	b.ReportAllocs()
	for b.Loop() {
		lx.Morphy("redoubled", Verb)
	}
}

// BenchmarkLookupSentences looks up every word of the sense evaluation set
// in its sentence, paragraph and section, as the card and the API do, and
// reports the median and the 99th percentile of one look-up as p50-ms and
// p99-ms. BenchmarkLookupSentenceOnly gives the sentence alone.
func BenchmarkLookupSentences(b *testing.B) { benchSentences(b, wsdFull) }

func BenchmarkLookupSentenceOnly(b *testing.B) { benchSentences(b, wsdSentence) }

func benchSentences(b *testing.B, mode wsdMode) {
	lx := lexicon(b)
	cs := wsdCases(b)
	var ds []time.Duration
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		c := cs[i%len(cs)]
		start := time.Now()
		if _, err := lx.LookupIn(c.word, c.context(mode), DefaultLimits); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(start))
		i++
	}
	slices.Sort(ds)
	ms := func(q float64) float64 { return float64(ds[int(q*float64(len(ds)-1))]) / float64(time.Millisecond) }
	b.ReportMetric(ms(0.5), "p50-ms")
	b.ReportMetric(ms(0.99), "p99-ms")
}
