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
}

const (
	chartW, chartH             = 720, 340
	padL, padR, padT, padB     = 52, 16, 56, 64
	plotW, plotH               = chartW - padL - padR, chartH - padT - padB
	maxBucketLinks             = 120
	maxPeakLabel               = 38
	chartFont                  = `font-family="system-ui, sans-serif"`
	inkColor, gridColor, muted = "#1a1a1a", "#d9d9d9", "#555"
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
	n := len(r.Buckets)
	hi := 0.0
	for _, s := range r.Series {
		for _, p := range s.Points {
			hi = math.Max(hi, p.Value)
		}
	}
	top, step := niceMax(hi)
	x := func(i int) float64 {
		if n == 1 {
			return padL + plotW/2
		}
		return math.Round(padL + float64(i)*plotW/float64(n-1))
	}
	y := func(v float64) float64 { return math.Round(padT + plotH - v/top*plotH) }
	esc := html.EscapeString
	role := `role="img"`
	if o.BucketURL != nil {
		role = `role="group"`
	}
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" %s aria-labelledby="trk-title trk-desc" class="tracker-chart" %s font-size="12">`,
		chartW, chartH, chartW, chartH, role, chartFont)
	fmt.Fprintf(&b, `<title id="trk-title">%s</title><desc id="trk-desc">%s</desc>`, escText(o.Title), escText(r.Description()))
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
	every := max(1, (n+5)/6)
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
	b.WriteString(`<g font-size="11" fill="` + inkColor + `" stroke-width="2">`)
	for _, p := range o.Peaks {
		if p.Series >= len(r.Series) || p.Bucket >= n || p.Headline == "" {
			continue
		}
		c := seriesColors[p.Series%len(seriesColors)]
		px, py := x(p.Bucket), y(r.Series[p.Series].Points[p.Bucket].Value)
		anchor := ""
		switch {
		case px < padL+120:
			anchor = ` text-anchor="start"`
		case px > chartW-padR-120:
			anchor = ` text-anchor="end"`
		default:
			anchor = ` text-anchor="middle"`
		}
		ly := math.Max(py-10-float64(p.Series)*14, 14)
		fmt.Fprintf(&b, `<circle class="peak" cx="%s" cy="%s" r="5" fill="none" stroke="%s"/><text class="peak-label" x="%s" y="%s"%s>%s</text>`,
			num(px), num(py), c, num(px), num(ly), anchor, esc(truncate(p.Headline, maxPeakLabel)))
	}
	// Legend.
	b.WriteString(`</g><g fill="` + inkColor + `" stroke-width="2">`)
	lx := float64(padL)
	for si, s := range r.Series {
		c := seriesColors[si%len(seriesColors)]
		dash := ""
		if d := seriesDash[si%len(seriesDash)]; d != "" {
			dash = ` stroke-dasharray="` + d + `"`
		}
		label := truncate(s.Phrase.Text, 24)
		fmt.Fprintf(&b, `<path stroke="%s"%s d="M%s %dh24"/><text x="%s" y="%d">%s</text>`,
			c, dash, num(lx), chartH-18, num(lx+30), chartH-14, esc(label))
		lx += 30 + float64(utf8.RuneCountInString(label))*8 + 24
	}
	b.WriteString(`</g>`)
	// Buckets as links to their articles: one rectangle, used again at
	// each bucket.
	if o.BucketURL != nil && n <= maxBucketLinks {
		w := math.Ceil(float64(plotW) / float64(max(n-1, 1)))
		fmt.Fprintf(&b, `<defs><rect id="trk-b" x="%s" y="%d" width="%s" height="%d"/></defs><g fill="transparent">`, num(-w/2), padT, num(w), plotH)
		for i, bk := range r.Buckets {
			var vals []string
			for _, s := range r.Series {
				vals = append(vals, s.Phrase.Text+" "+FormatValue(s.Points[i].Value))
			}
			label := bk.Label(r.Query.Interval) + ": " + strings.Join(vals, ", ")
			fmt.Fprintf(&b, `<a href="%s" aria-label="%s"><use href="#trk-b" x="%s"/></a>`, esc(o.BucketURL(bk)), esc(label), num(x(i)))
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
