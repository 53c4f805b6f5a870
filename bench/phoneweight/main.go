// Command phoneweight prints what a phone downloads for Byline's reader
// pages: it opens each page in headless Chromium emulating a 412 CSS px
// wide screen at DPR 1.75 (a mid-range Android phone), scrolls to the
// bottom so that lazy images and lazily loaded scripts load too, and sums
// the bytes on the wire (Resource Timing transferSize, compressed as the
// server sent them) by kind: HTML, CSS, JS, images, other.
//
//	go run ./bench/phoneweight -base http://127.0.0.1:8080
//
// Without -page it measures the home page, the first section in the
// navigation, the longest article in the sitemap (by HTML size) and the
// first running story (/story/{slug}) an article links to. The
// browser's cache is off, so every page is a first visit. See
// bench/README.md.
package main

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

type pageList []string

func (p *pageList) String() string     { return strings.Join(*p, ",") }
func (p *pageList) Set(s string) error { *p = append(*p, s); return nil }

type entry struct {
	Name     string  `json:"name"`
	Type     string  `json:"type"`
	Transfer float64 `json:"transfer"`
	Encoded  float64 `json:"encoded"`
}

func main() {
	base := flag.String("base", "http://127.0.0.1:8080", "the paper's URL")
	width := flag.Int64("width", 412, "screen width in CSS px")
	height := flag.Int64("height", 915, "screen height in CSS px")
	dpr := flag.Float64("dpr", 1.75, "device pixel ratio")
	verbose := flag.Bool("v", false, "list every resource")
	var pages pageList
	flag.Var(&pages, "page", "a path to measure (repeatable); default: home, first section, longest article")
	flag.Parse()
	*base = strings.TrimRight(*base, "/")
	if len(pages) == 0 {
		var err error
		pages, err = defaultPages(*base)
		if err != nil {
			fmt.Fprintln(os.Stderr, "phoneweight:", err)
			os.Exit(1)
		}
	}
	chromium := os.Getenv("BYLINE_CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
		if p, err := exec.LookPath("chromium"); err == nil {
			chromium = p
		}
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium), chromedp.NoSandbox)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	fmt.Printf("# phone download, %dx%d CSS px, DPR %.2f, lazy images and scripts included (KiB on the wire)\n", *width, *height, *dpr)
	fmt.Printf("%-48s %7s %7s %7s %7s %7s %8s\n", "page", "html", "css", "js", "images", "other", "total")
	for _, p := range pages {
		sums, list, err := measure(actx, *base+p, *width, *height, *dpr)
		if err != nil {
			fmt.Fprintf(os.Stderr, "phoneweight: %s: %v\n", p, err)
			os.Exit(1)
		}
		total := 0.0
		for _, v := range sums {
			total += v
		}
		k := func(v float64) string { return fmt.Sprintf("%.1f", v/1024) }
		fmt.Printf("%-48s %7s %7s %7s %7s %7s %8s\n", p, k(sums["html"]), k(sums["css"]), k(sums["js"]), k(sums["img"]), k(sums["other"]), k(total))
		if *verbose {
			for _, e := range list {
				fmt.Printf("    %-6s %8.1f  %s\n", e.Type, e.Transfer/1024, e.Name)
			}
		}
	}
}

func measure(actx context.Context, url string, w, h int64, dpr float64) (map[string]float64, []entry, error) {
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel2 := context.WithTimeout(ctx, 90*time.Second)
	defer cancel2()
	if err := chromedp.Do(ctx); err != nil {
		return nil, nil, err
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		return nil, nil, err
	}
	if _, err := chromedp.Call(ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		return nil, nil, err
	}
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(w, h, chromedp.EmulateScale(dpr), chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(url),
		chromedp.Evaluate[chromedp.Void](`performance.setResourceTimingBufferSize(1000)`),
		// Scroll down most of a screen at a time so that every lazy image
		// and script a reader reaching the end would load is loaded.
		chromedp.Evaluate[chromedp.Void](`(async () => {
			const step = innerHeight * 0.8;
			for (let y = 0; y < document.documentElement.scrollHeight; y += step) {
				scrollTo(0, y);
				await new Promise(r => requestAnimationFrame(() => setTimeout(r, 60)));
			}
			scrollTo(0, document.documentElement.scrollHeight);
			// wait until no resource has started for 1 s
			let n = -1;
			while (n !== performance.getEntriesByType('resource').length) {
				n = performance.getEntriesByType('resource').length;
				await new Promise(r => setTimeout(r, 1000));
			}
			await Promise.all([...document.images].map(i => i.decode().catch(() => {})));
			return true;
		})()`, chromedp.EvalAwaitPromise),
	)
	if err != nil {
		return nil, nil, err
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify([].concat(
			performance.getEntriesByType('navigation').map(e => ({name: e.name, type: 'html', transfer: e.transferSize, encoded: e.encodedBodySize})),
			performance.getEntriesByType('resource').map(e => ({name: e.name, type: e.initiatorType, transfer: e.transferSize, encoded: e.encodedBodySize}))))`))
	if err != nil {
		return nil, nil, err
	}
	var list []entry
	if err := json.Unmarshal([]byte(raw), &list); err != nil {
		return nil, nil, err
	}
	sums := map[string]float64{}
	for i, e := range list {
		kind := classify(e)
		list[i].Type = kind
		n := e.Transfer
		if n == 0 {
			n = e.Encoded
		}
		sums[kind] += n
	}
	return sums, list, nil
}

var extRe = regexp.MustCompile(`\.(css|js|jpe?g|png|webp|avif|gif|svg)(\?|$)`)

func classify(e entry) string {
	if e.Type == "html" {
		return "html"
	}
	m := extRe.FindStringSubmatch(e.Name)
	ext := ""
	if m != nil {
		ext = m[1]
	}
	switch {
	case ext == "css":
		return "css"
	case ext == "js" || e.Type == "script":
		return "js"
	case ext != "" || e.Type == "img":
		return "img"
	}
	return "other"
}

// defaultPages picks the home page, the first section linked from the
// navigation, the article with the most HTML and the first running story
// an article links to.
func defaultPages(base string) ([]string, error) {
	home, err := get(base + "/")
	if err != nil {
		return nil, err
	}
	out := []string{"/"}
	if m := regexp.MustCompile(`href="(/section/[a-z0-9-]+)"`).FindStringSubmatch(home); m != nil {
		out = append(out, m[1])
	}
	index, err := get(base + "/sitemap.xml")
	if err != nil {
		return nil, err
	}
	var locs []string
	for _, sm := range locsOf(index) {
		if !strings.Contains(sm, "articles") {
			continue
		}
		body, err := get(sm)
		if err != nil {
			return nil, err
		}
		locs = append(locs, locsOf(body)...)
	}
	type sized struct {
		path string
		n    int
	}
	var arts []sized
	story := ""
	storyLink := regexp.MustCompile(`href="(/story/[a-z0-9-]+)"`)
	for _, l := range locs {
		body, err := get(l)
		if err != nil {
			return nil, err
		}
		arts = append(arts, sized{strings.TrimPrefix(l, base), len(body)})
		if m := storyLink.FindStringSubmatch(body); m != nil && story == "" {
			story = m[1]
		}
	}
	sort.Slice(arts, func(i, j int) bool { return arts[i].n > arts[j].n })
	if len(arts) > 0 {
		out = append(out, arts[0].path)
	}
	if story != "" {
		out = append(out, story)
	}
	return out, nil
}

func locsOf(doc string) []string {
	var v struct {
		Locs []string `xml:"url>loc"`
		Maps []string `xml:"sitemap>loc"`
	}
	if err := xml.Unmarshal([]byte(doc), &v); err != nil {
		return nil
	}
	return append(v.Maps, v.Locs...)
}

func get(url string) (string, error) {
	resp, err := http.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return "", fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}
