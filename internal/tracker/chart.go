package tracker

import (
	"bytes"
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Series colours: distinct for colour-blind readers (Okabe-Ito, darkened
// to keep 3:1 against white) and each with its own dash pattern and
// marker, so that no line is told from another by colour alone.
var seriesColors = []string{"#0b5ea8", "#b35900", "#00735a", "#a8327a", "#5c5c5c"}
var seriesDash = []string{"", "6 3", "2 3", "8 3 2 3", "4 4"}

// Peak is a bucket of one series labelled with its top article.
type Peak struct {
	Series, Bucket int
	Headline       string
}

// ChartOptions shape the SVG.
type ChartOptions struct {
	Title string
	// BucketURL links each bucket to its articles (inline charts); nil
	// for a chart shown as an image, where links do nothing. The links
	// may be relative to the page ("?bucket=…").
	BucketURL func(b Bucket) string
	Peaks     []Peak
	// Narrow draws the phone layout (13 px labels at 380 px wide), with
	// ids of its own so that a page can hold both.
	Narrow bool
}

const (
	maxBucketLinks             = 120
	chartFont                  = `font-family="system-ui, sans-serif"`
	inkColor, gridColor, muted = "#1a1a1a", "#d9d9d9", "#555"
)

// layout is a chart's geometry. The wide one is drawn 720 units wide,
// shown at up to 720 CSS px; the narrow one is for phones, drawn about
// as wide as a phone shows it, so that its labels stay readable (the
// wide chart shrunk to 380 px had 7 px labels).
type layout struct {
	w, plotH               int
	padL, padR, padT, padB int
	font, peakFont         int
	xLabels                int     // about how many dates under the axis
	peakLabel, legendLabel int     // longest label, in characters
	charW                  float64 // a legend character's advance
	legendRow              int     // a legend line's height
	id                     string  // prefix of the chart's ids
	class                  string
}

var (
	wideLayout   = layout{w: 720, plotH: 220, padL: 52, padR: 16, padT: 56, padB: 64, font: 12, peakFont: 11, xLabels: 6, peakLabel: 38, legendLabel: 24, charW: 8, legendRow: 18, id: "trk", class: "tracker-chart"}
	narrowLayout = layout{w: 380, plotH: 190, padL: 44, padR: 12, padT: 60, padB: 64, font: 13, peakFont: 12, xLabels: 3, peakLabel: 26, legendLabel: 18, charW: 8.5, legendRow: 20, id: "trkn", class: "tracker-chart-narrow"}
)

// niceMax rounds the largest value up to a round axis top and gives the
// tick step.
func niceMax(v float64) (top, step float64) {
	if v <= 0 {
		return 1, 0.25
	}
	raw := v / 4
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if step = m * mag; step >= raw {
			break
		}
	}
	return math.Ceil(v/step) * step, step
}

// Description is the chart in words: what is counted, and each phrase's
// total and highest bucket.
func (r Result) Description() string {
	q := r.Query
	var b strings.Builder
	fmt.Fprintf(&b, "%s per %s, %d %ss to %s", q.Unit(), q.Interval, len(r.Buckets), q.Interval, r.Buckets[len(r.Buckets)-1].Label(q.Interval))
	if q.ScopeName != "" {
		fmt.Fprintf(&b, ", %s", q.ScopeName)
	}
	b.WriteString(". ")
	for _, s := range r.Series {
		hi, at := 0.0, -1
		for i, p := range s.Points {
			if p.Value > hi {
				hi, at = p.Value, i
			}
		}
		if at < 0 {
			fmt.Fprintf(&b, "%q: none. ", s.Phrase.Text)
			continue
		}
		fmt.Fprintf(&b, "%q: highest %s in the %s. ", s.Phrase.Text, FormatValue(hi), r.Buckets[at].Label(q.Interval))
	}
	if r.Buckets[len(r.Buckets)-1].Partial {
		b.WriteString("The last " + string(q.Interval) + " is still running (dashed).")
	}
	return strings.TrimSpace(b.String())
}

// num formats a coordinate: whole pixels (the chart is 720 wide), no
// trailing zeros.
func num(v float64) string { return strconv.FormatFloat(math.Round(v), 'f', -1, 64) }

// Chart draws the result as an SVG line chart that needs no script.
//
// It is kept small (an inline chart of a year of weeks and five phrases
// stays under 15 KB): whole-pixel coordinates, each line one path of
// relative steps, shared attributes on groups, and the bucket links'
// areas one rectangle drawn again by <use>.
func Chart(r Result, o ChartOptions) []byte {
	var b bytes.Buffer
	g := wideLayout
	if o.Narrow {
		g = narrowLayout
	}
	n := len(r.Buckets)
	// The legend wraps onto as many lines as it needs.
	legendW := func(s Series) float64 {
		return 30 + float64(utf8.RuneCountInString(truncate(s.Phrase.Text, g.legendLabel)))*g.charW + 24
	}
	legendLines, lineW := 1, 0.0
	for _, s := range r.Series {
		if w := legendW(s); lineW > 0 && float64(g.padL)+lineW+w-24 > float64(g.w-g.padR) {
			legendLines, lineW = legendLines+1, w
		} else {
			lineW += w
		}
	}
	padL, padR, padT := g.padL, g.padR, g.padT
	padB := g.padB + (legendLines-1)*g.legendRow
	chartW, plotH := g.w, g.plotH
	plotW, chartH := chartW-padL-padR, padT+g.plotH+padB
	hi := 0.0
	for _, s := range r.Series {
		for _, p := range s.Points {
			hi = math.Max(hi, p.Value)
		}
	}
	top, step := niceMax(hi)
	x := func(i int) float64 {
		if n == 1 {
			return float64(padL + plotW/2)
		}
		return math.Round(float64(padL) + float64(i)*float64(plotW)/float64(n-1))
	}
	y := func(v float64) float64 { return math.Round(float64(padT+plotH) - v/top*float64(plotH)) }
	esc := html.EscapeString
	role := `role="img"`
	if o.BucketURL != nil {
		role = `role="group"`
	}
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" %s aria-labelledby="%s-title %[6]s-desc" class="%s" %s font-size="%d">`,
		chartW, chartH, chartW, chartH, role, g.id, g.class, chartFont, g.font)
	fmt.Fprintf(&b, `<title id="%s-title">%s</title><desc id="%[1]s-desc">%[3]s</desc>`, g.id, escText(o.Title), escText(r.Description()))
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/>`, chartW, chartH)
	// Grid and y axis.
	b.WriteString(`<path stroke="` + gridColor + `" d="`)
	for v := 0.0; v <= top+step/2; v += step {
		fmt.Fprintf(&b, `M%d %sH%d`, padL, num(y(v)), chartW-padR)
	}
	b.WriteString(`"/><g fill="` + muted + `" text-anchor="end">`)
	for v := 0.0; v <= top+step/2; v += step {
		fmt.Fprintf(&b, `<text x="%d" y="%s">%s</text>`, padL-6, num(y(v)+4), FormatValue(v))
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="start">%s</text>`, padL, padT-8, esc(r.Query.Unit()))
	// X labels: about six.
	every := max(1, (n+g.xLabels-1)/g.xLabels)
	b.WriteString(`</g><g fill="` + muted + `" text-anchor="middle">`)
	for i := 0; i < n; i += every {
		fmt.Fprintf(&b, `<text x="%s" y="%d">%s</text>`, num(x(i)), chartH-padB+18, esc(shortLabel(r, i)))
	}
	b.WriteString(`</g>`)
	// Lines: solid up to the last full bucket, dashed into the running one.
	partial := r.Buckets[n-1].Partial
	b.WriteString(`<g fill="none" stroke-width="2">`)
	for si, s := range r.Series {
		c := seriesColors[si%len(seriesColors)]
		dash := ""
		if d := seriesDash[si%len(seriesDash)]; d != "" {
			dash = ` stroke-dasharray="` + d + `"`
		}
		last := n
		if partial && n > 1 {
			last = n - 1
		}
		fmt.Fprintf(&b, `<path stroke="%s"%s d="M%s %s`, c, dash, num(x(0)), num(y(s.Points[0].Value)))
		for i := 1; i < last; i++ {
			dx, dy := x(i)-x(i-1), y(s.Points[i].Value)-y(s.Points[i-1].Value)
			if dy < 0 {
				fmt.Fprintf(&b, `l%s%s`, num(dx), num(dy))
			} else {
				fmt.Fprintf(&b, `l%s %s`, num(dx), num(dy))
			}
		}
		b.WriteString(`"/>`)
	}
	if partial && n > 1 {
		b.WriteString(`<g stroke-dasharray="1 4" stroke-linecap="round">`)
		for si, s := range r.Series {
			fmt.Fprintf(&b, `<path class="running" stroke="%s" d="M%s %sL%s %s"/>`,
				seriesColors[si%len(seriesColors)], num(x(n-2)), num(y(s.Points[n-2].Value)), num(x(n-1)), num(y(s.Points[n-1].Value)))
		}
		b.WriteString(`</g>`)
	}
	b.WriteString(`</g>`)
	for si, s := range r.Series {
		fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="3" fill="%s"/>`, num(x(n-1)), num(y(s.Points[n-1].Value)), seriesColors[si%len(seriesColors)])
	}
	// Peaks, labelled with their top article.
	fmt.Fprintf(&b, `<g font-size="%d" fill="%s" stroke-width="2">`, g.peakFont, inkColor)
	for _, p := range o.Peaks {
		if p.Series >= len(r.Series) || p.Bucket >= n || p.Headline == "" {
			continue
		}
		c := seriesColors[p.Series%len(seriesColors)]
		px, py := x(p.Bucket), y(r.Series[p.Series].Points[p.Bucket].Value)
		anchor := ""
		// Half the label's width: estimated on the narrow chart, where
		// a label is a good part of the width.
		half := float64(g.w / 6)
		if o.Narrow {
			half = float64(utf8.RuneCountInString(truncate(p.Headline, g.peakLabel))*g.peakFont) * 0.3
		}
		switch {
		case px-half < float64(padL):
			anchor = ` text-anchor="start"`
		case px+half > float64(chartW-padR):
			anchor = ` text-anchor="end"`
		default:
			anchor = ` text-anchor="middle"`
		}
		ly := math.Max(py-10-float64(p.Series)*float64(g.peakFont+3), float64(g.peakFont+3))
		fmt.Fprintf(&b, `<circle class="peak" cx="%s" cy="%s" r="5" fill="none" stroke="%s"/><text class="peak-label" x="%s" y="%s"%s>%s</text>`,
			num(px), num(py), c, num(px), num(ly), anchor, esc(truncate(p.Headline, g.peakLabel)))
	}
	// Legend.
	b.WriteString(`</g><g fill="` + inkColor + `" stroke-width="2">`)
	lx, ly := float64(padL), chartH-(legendLines-1)*g.legendRow-18
	for si, s := range r.Series {
		c := seriesColors[si%len(seriesColors)]
		dash := ""
		if d := seriesDash[si%len(seriesDash)]; d != "" {
			dash = ` stroke-dasharray="` + d + `"`
		}
		label := truncate(s.Phrase.Text, g.legendLabel)
		if w := legendW(s); lx > float64(padL) && lx+w-24 > float64(chartW-padR) {
			lx, ly = float64(padL), ly+g.legendRow
		}
		fmt.Fprintf(&b, `<path stroke="%s"%s d="M%s %dh24"/><text x="%s" y="%d">%s</text>`,
			c, dash, num(lx), ly, num(lx+30), ly+4, esc(label))
		lx += legendW(s)
	}
	b.WriteString(`</g>`)
	// Buckets as links to their articles: one rectangle, used again at
	// each bucket.
	if o.BucketURL != nil && n <= maxBucketLinks {
		w := math.Ceil(float64(plotW) / float64(max(n-1, 1)))
		fmt.Fprintf(&b, `<defs><rect id="%s-b" x="%s" y="%d" width="%s" height="%d"/></defs><g fill="transparent">`, g.id, num(-w/2), padT, num(w), plotH)
		for i, bk := range r.Buckets {
			var vals []string
			for _, s := range r.Series {
				vals = append(vals, s.Phrase.Text+" "+FormatValue(s.Points[i].Value))
			}
			label := bk.Label(r.Query.Interval) + ": " + strings.Join(vals, ", ")
			fmt.Fprintf(&b, `<a href="%s" aria-label="%s"><use href="#%s-b" x="%s"/></a>`, esc(o.BucketURL(bk)), esc(label), g.id, num(x(i)))
		}
		b.WriteString(`</g>`)
	}
	b.WriteString(`</svg>`)
	return b.Bytes()
}

// escText escapes text content (quotes need no escaping there).
var escText = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace

func shortLabel(r Result, i int) string {
	d := r.Buckets[i].Start.Date()
	switch r.Query.Interval {
	case "month":
		return d.Format("Jan 2006")
	}
	return d.Format("Jan 2")
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// PeakBuckets picks, per series, its highest bucket (if above zero).
func (r Result) PeakBuckets() []Peak {
	var out []Peak
	for si, s := range r.Series {
		hi, at := 0.0, -1
		for i, p := range s.Points {
			if p.Value > hi {
				hi, at = p.Value, i
			}
		}
		if at >= 0 {
			out = append(out, Peak{Series: si, Bucket: at})
		}
	}
	return out
}
