package dictionary

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
)

// TestWSDDebug prints, for each dev sentence of the evaluation set whose
// card misses, every sense of the wanted part of speech with its score
// (overlap, prior, register) and the sentence words its signature matched.
// Run it with WSD_DEBUG=1 (WSD_WORD=w for one word, WSD_CTX=1 to see the
// weighted context too, WSD_FULL=1 to give the paragraph and the section
// as the card does); it is skipped otherwise.
func TestWSDDebug(t *testing.T) {
	if os.Getenv("WSD_DEBUG") == "" {
		t.Skip()
	}
	lx := lexicon(t)
	tb, _ := lx.tables()
	only := os.Getenv("WSD_WORD")
	for _, c := range wsdCases(t) {
		if c.split != "dev" || (only != "" && c.word != only) {
			continue
		}
		mode := wsdSentence
		if os.Getenv("WSD_FULL") != "" {
			mode = wsdFull
		}
		res, _ := lx.LookupIn(c.word, c.context(mode), DefaultLimits)
		got := ""
		if len(res.Entries) > 0 && len(res.Entries[0].Senses) > 0 {
			got = string(res.Entries[0].POS) + ": " + res.Entries[0].Senses[0].Definition
		}
		ok := false
		for _, def := range strings.Split(c.def, "|") {
			ok = ok || strings.HasPrefix(got, c.pos+": "+def)
		}
		if ok && only == "" {
			continue
		}
		fmt.Printf("\n=== %s [%s] %s\n", c.word, c.pos, c.sentence)
		fmt.Printf("  got: %.70s\n", got)
		ctx := tokenize(clean(c.sentence))
		at := locate(ctx, words(c.word))
		var more around
		if mode == wsdFull {
			more = around{para: tokenize(clean(c.para)), section: tokenize(clean(c.section))}
		}
		cx := tb.newContext(ctx, at, 1, more)
		fmt.Printf("  frames: %b slots: %v %v %v\n", cx.frames, cx.object, cx.modifier, cx.governor)
		var ks []string
		for k, v := range cx.w {
			ks = append(ks, fmt.Sprintf("%s=%.2f", k, v))
		}
		sort.Strings(ks)
		if os.Getenv("WSD_CTX") != "" {
			fmt.Printf("  ctx: %s\n", strings.Join(ks, " "))
		}
		p := posIndex(POS(c.pos))
		for _, l := range tb.lemmasFor(strings.ToLower(c.word), p) {
			id, _ := tb.find(l)
			r := tb.record(id, p)
			lo, hi := tb.recSense[r], tb.recSense[r+1]
			var total float64
			for s := lo; s < hi; s++ {
				total += float64(tb.senseCount[s])
			}
			frames := tb.frameFits(cx, lo, hi)
			for i := lo; i < hi; i++ {
				syn := tb.senses[i]
				var hits []string
				traceHit = func(w string, v float64) { hits = append(hits, fmt.Sprintf("%s:%.2f", w, v)) }
				ov := tb.overlap(cx, syn, id)
				traceHit = nil
				prior := priorOrder / float64(i-lo+1)
				if total > 0 {
					prior += priorFreq * float64(tb.senseCount[i]) / total
				}
				ex := slotWeight * tb.exampleFit(cx, syn)
				reg := newsRegister[tb.lexFile[syn]] + frames[i] + ex
				mark := " "
				for _, def := range strings.Split(c.def, "|") {
					if strings.HasPrefix(tb.piece(tb.synPiece[syn]), def) {
						mark = "*"
					}
				}
				fmt.Printf(" %s%d tot=%.2f ov=%.2f pr=%.2f reg=%.2f ex=%.2f cnt=%d lf=%d %.50s  %v\n", mark, i-lo, ov+prior+reg, ov, prior, reg, ex, tb.senseCount[i], tb.lexFile[syn], tb.piece(tb.synPiece[syn]), hits)
			}
		}
	}
}
