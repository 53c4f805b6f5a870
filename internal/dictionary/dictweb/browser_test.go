package dictweb_test

// The reader's use of the dictionary in headless Chromium. It needs
// Chromium and the npm tools (npm ci --prefix tools, for axe-core); without
// them it skips, except under CI=true. Run: go test ./internal/dictionary/dictweb/ -run Browser -v

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"byline/internal/e2e/browser"
	"byline/internal/news"
	"byline/internal/testutil"
)

func js[T any](t *testing.T, ctx context.Context, what, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// waitFor polls a JavaScript condition until it holds or 10 s pass.
func waitFor(t *testing.T, ctx context.Context, what, cond string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool]("!!("+cond+")", chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		state := js[string](t, ctx, "state", `(document.getElementById("dict-card")||{}).outerHTML||"no card"`)
		t.Fatalf("%s: %s did not become true (%v); card: %.600s", what, cond, err, state)
	}
}

// wordAt scrolls the first occurrence of word in the article body into
// view and returns the centre of it on the screen.
const wordAt = `(w => {
	const walk = document.createTreeWalker(document.getElementById("story-body"), NodeFilter.SHOW_TEXT);
	for (let n; (n = walk.nextNode());) {
		const i = n.data.search(new RegExp("\\b" + w + "\\b"));
		if (i < 0) continue;
		const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + w.length);
		n.parentNode.scrollIntoView({block: "center"});
		const b = r.getBoundingClientRect();
		return [b.left + b.width / 2, b.top + b.height / 2];
	}
	return null;
})`

// selectWord selects word in the article body as a keyboard user would
// with Shift and the arrow keys (caret browsing).
const selectWord = `(w => {
	const walk = document.createTreeWalker(document.getElementById("story-body"), NodeFilter.SHOW_TEXT);
	for (let n; (n = walk.nextNode());) {
		const i = n.data.search(new RegExp("\\b" + w + "\\b"));
		if (i < 0) continue;
		const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + w.length);
		n.parentNode.scrollIntoView({block: "center"});
		const s = getSelection(); s.removeAllRanges(); s.addRange(r);
		return s.toString();
	}
	return "";
})`

func TestBrowserDictionaryCard(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithDemo()) // its glossary has the National Assembly
	must(t, app.Store.ReplaceBilingual(bg, "en-ko", []news.BilingualEntry{{Headword: "stall", Translation: "교착 상태에 빠지다"}}))
	app.Server.Dictionary().Invalidate()
	ctx := browser.New(t)
	shots := browser.ScreenshotDir(t)
	a := app.DemoArticle(t, "housing-supply-bill-stalls")
	browser.Navigate(t, ctx, app.URL+a.URL())

	// Off: a button, and no dictionary code loaded yet.
	waitFor(t, ctx, "toggle shown", `!document.getElementById("dict-toggle").hasAttribute("data-pending")`)
	if js[bool](t, ctx, "loaded early", `!!window.BylineDictionary || !![...document.scripts].find(s => s.src.includes("/dictionary."))`) {
		t.Error("dictionary.js is loaded before the reader switches the tool on")
	}
	if got := js[string](t, ctx, "pressed", `document.getElementById("dict-toggle").getAttribute("aria-pressed")`); got != "false" {
		t.Errorf("aria-pressed = %q before switching on", got)
	}

	// Switch on: a hint says what to do, and nothing on the page moves.
	const bodyTop = `[...document.querySelectorAll("#story-body > p, .toolbar, h1")].map(e => e.getBoundingClientRect().top)`
	before := js[[]float64](t, ctx, "positions before", bodyTop)
	do(t, ctx, "click toggle", chromedp.Click(chromedp.CSS("#dict-toggle")))
	waitFor(t, ctx, "switched on", `document.getElementById("dict-toggle").getAttribute("aria-pressed") === "true" && window.BylineDictionary && document.getElementById("dict-card")`)
	waitFor(t, ctx, "hint shown", `(h => h && !h.hidden && h.getBoundingClientRect().height > 0)(document.querySelector(".dict-hint"))`)
	if got := js[string](t, ctx, "hint", `document.querySelector(".dict-hint").textContent`); got != "Double-click or select a word to look it up." && got != "Double-tap or select a word to look it up." {
		t.Errorf("hint = %q", got)
	}
	shot(t, ctx, shots, "dictionary-hint")
	if after := js[[]float64](t, ctx, "positions after", bodyTop); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("switching on moved the page: tops %v, then %v", before, after)
	}
	browser.Axe(t, ctx)

	// The first use of a glossary term is underlined (in this browser).
	waitFor(t, ctx, "glossary term marked", `document.querySelector("#story-body .dict-gl")`)
	got := js[[]string](t, ctx, "marked", `[...document.querySelectorAll("#story-body .dict-gl")].map(e => e.textContent)`)
	seen := map[string]int{}
	for _, g := range got {
		seen[g]++
	}
	if seen["National Assembly"] != 1 || len(seen) != len(got) {
		t.Errorf("underlined terms = %q, want each once, the first National Assembly among them", got)
	}

	// Double-click an inflected word: the card shows its lemma (and the
	// hint goes). The card asks with the sentence, the text around it and
	// the article's section (a spy on fetch sees the request).
	js[chromedp.Void](t, ctx, "fetch spy", `(() => { window.dictAsked = []; const f = window.fetch;
		window.fetch = function (u) { window.dictAsked.push(String(u)); return f.apply(this, arguments); }; })()`)
	xy := js[[]float64](t, ctx, "find stalled", wordAt+`("stalled")`)
	if len(xy) != 2 {
		t.Fatal("no 'stalled' in the article body")
	}
	do(t, ctx, "double-click", chromedp.MouseClickXY(xy[0], xy[1]), chromedp.MouseClickXY(xy[0], xy[1], chromedp.ClickCount(2)))
	waitFor(t, ctx, "card with lemma", `(c => c && !c.hidden && !c.hasAttribute("aria-busy") && c.querySelector("#dict-card-h").textContent === "stall")(document.getElementById("dict-card"))`)
	asked := js[map[string]string](t, ctx, "request", `(u => u ? Object.fromEntries(new URL(u, location.href).searchParams) : {})(window.dictAsked.filter(u => u.includes("/api/dictionary?")).pop())`)
	if !strings.Contains(asked["context"], "stalled in the National Assembly on Thursday") {
		t.Errorf("the card asked with context %q, want the sentence of the word", asked["context"])
	}
	if p := asked["para"]; !strings.Contains(p, asked["context"]) || !strings.Contains(p, "The Special Act on Metropolitan Housing Supply") {
		t.Errorf("the card asked with para %q, want the sentence's paragraph and the one after it (the first is one sentence)", p)
	}
	if asked["section"] != "National / Politics" {
		t.Errorf("the card asked with section %q, want %q", asked["section"], "National / Politics")
	}
	card := js[map[string]any](t, ctx, "card", `(c => ({role: c.getAttribute("role"), label: c.getAttribute("aria-labelledby"), focus: c.contains(document.activeElement),
		text: c.textContent, live: [...document.querySelectorAll("[aria-live]")].map(e => e.textContent).join("|")}))(document.getElementById("dict-card"))`)
	if js[bool](t, ctx, "hint after look-up", `!document.querySelector(".dict-hint").hidden`) {
		t.Error("the hint stays after the first look-up")
	}
	if card["role"] != "dialog" || card["label"] != "dict-card-h" || card["focus"] != true {
		t.Errorf("card role %v, labelledby %v, focus inside %v", card["role"], card["label"], card["focus"])
	}
	if text, _ := card["text"].(string); !strings.Contains(text, "verb") || !strings.Contains(text, "교착 상태에 빠지다") {
		t.Errorf("card text %q lacks the part of speech or the translation", text)
	}
	waitFor(t, ctx, "announced", `[...document.querySelectorAll("[aria-live]")].some(e => e.textContent.includes("stall"))`)
	// The text under the card did not move.
	if moved := js[bool](t, ctx, "text position", `(p => Math.abs(p[1] - `+ftoa(xy[1])+`) > 1)(`+wordAt+`("stalled"))`); moved {
		t.Error("opening the card moved the article text")
	}
	shot(t, ctx, shots, "dictionary-card")
	browser.Axe(t, ctx)

	// Escape closes the card and focus returns to the article.
	do(t, ctx, "escape", chromedp.KeyEvent(kb.Escape))
	waitFor(t, ctx, "closed", `document.getElementById("dict-card").hidden`)
	// (the double-click focused <main tabindex=-1>; focus goes back there)
	if got := js[string](t, ctx, "focus", `document.activeElement.id`); got != "main" && got != "story-body" {
		t.Errorf("focus after Escape is on #%s, want back on #main or #story-body", got)
	}

	// Keyboard only: a selection and Enter open the card; Tab stays
	// inside; Escape closes. The glossary entry comes first.
	if got := js[string](t, ctx, "select", selectWord+`("Assembly")`); got != "Assembly" {
		t.Fatalf("selected %q", got)
	}
	do(t, ctx, "enter", chromedp.KeyEvent(kb.Enter))
	waitFor(t, ctx, "glossary card", `(c => !c.hidden && !c.hasAttribute("aria-busy"))(document.getElementById("dict-card"))`)
	first := js[string](t, ctx, "first section", `document.querySelector("#dict-card section").className + ": " + document.querySelector("#dict-card-h").textContent`)
	if first != "dict-glossary: National Assembly" {
		t.Errorf("first section of the card = %q, want the glossary entry for National Assembly", first)
	}
	for i := 0; i < 3; i++ {
		do(t, ctx, "tab", chromedp.KeyEvent(kb.Tab))
		if !js[bool](t, ctx, "tab focus", `document.getElementById("dict-card").contains(document.activeElement)`) {
			t.Fatalf("Tab %d left the card", i+1)
		}
	}
	shot(t, ctx, shots, "dictionary-glossary")
	browser.Axe(t, ctx)
	do(t, ctx, "escape", chromedp.KeyEvent(kb.Escape))
	waitFor(t, ctx, "closed again", `document.getElementById("dict-card").hidden`)

	// A click on the underlined term opens its glossary entry.
	do(t, ctx, "click term", chromedp.Click(chromedp.CSS("#story-body .dict-gl")))
	waitFor(t, ctx, "term card", `(c => !c.hidden && !c.hasAttribute("aria-busy") && c.querySelector(".dict-glossary"))(document.getElementById("dict-card"))`)
	do(t, ctx, "escape", chromedp.KeyEvent(kb.Escape))
	waitFor(t, ctx, "closed after term", `document.getElementById("dict-card").hidden`)

	// An unknown word: suggestions.
	js[chromedp.Void](t, ctx, "lookup", `BylineDictionary.lookup("sanctoins", "")`)
	waitFor(t, ctx, "suggestions", `document.querySelector("#dict-card .dict-sugg")`)
	do(t, ctx, "pick suggestion", chromedp.Click(chromedp.CSS("#dict-card .dict-sugg")))
	waitFor(t, ctx, "suggested word", `!document.getElementById("dict-card").hasAttribute("aria-busy") && !document.querySelector("#dict-card .dict-sugg")`)
	// An outside click closes it.
	do(t, ctx, "outside click", chromedp.MouseClickXY(5, 5))
	waitFor(t, ctx, "closed by outside click", `document.getElementById("dict-card").hidden`)

	// The choice is remembered.
	browser.Navigate(t, ctx, app.URL+a.URL())
	waitFor(t, ctx, "still on after reload", `document.getElementById("dict-toggle").getAttribute("aria-pressed") === "true" && window.BylineDictionary`)
	// Off again: a double-click opens nothing.
	do(t, ctx, "switch off", chromedp.Click(chromedp.CSS("#dict-toggle")))
	waitFor(t, ctx, "switched off", `document.getElementById("dict-toggle").getAttribute("aria-pressed") === "false" && !document.querySelector(".dict-gl")`)
	xy = js[[]float64](t, ctx, "find stalled", wordAt+`("stalled")`)
	do(t, ctx, "double-click when off", chromedp.MouseClickXY(xy[0], xy[1]), chromedp.MouseClickXY(xy[0], xy[1], chromedp.ClickCount(2)))
	if js[bool](t, ctx, "card when off", `(c => c && !c.hidden)(document.getElementById("dict-card"))`) {
		t.Error("a double-click opened the card with the tool off")
	}
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }

// shot saves what the reader sees (the viewport, not the whole page).
func shot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	p := filepath.Join(dir, name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", p)
}

// tap sends a touch start and end at x, y, as a finger would.
func tap(x, y float64) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if err := t.Call(ctx, "Emulation.setTouchEmulationEnabled", map[string]any{"enabled": true, "maxTouchPoints": 1}, nil); err != nil {
			return err
		}
		if err := t.Call(ctx, "Input.dispatchTouchEvent", &input.DispatchTouchEventParams{Type: input.DispatchTouchEventTypeTouchStart,
			TouchPoints: []*input.TouchPoint{{X: x, Y: y}}}, nil); err != nil {
			return err
		}
		return t.Call(ctx, "Input.dispatchTouchEvent", &input.DispatchTouchEventParams{Type: input.DispatchTouchEventTypeTouchEnd, TouchPoints: []*input.TouchPoint{}}, nil)
	})
}

// A reader who chose Korean gets the tool in Korean, and a tap on a
// word opens its card.
func TestBrowserDictionaryTouchKorean(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithDemo())
	ctx := browser.New(t)
	a := app.DemoArticle(t, "housing-supply-bill-stalls")
	// The comment box's language switch keeps the choice in this cookie.
	do(t, ctx, "cookie", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		return tg.Call(ctx, "Network.setCookie", map[string]any{"name": "byline_lang", "value": "ko", "url": app.URL + "/"}, nil)
	}))
	browser.Navigate(t, ctx, app.URL+a.URL())
	waitFor(t, ctx, "toggle shown", `!document.getElementById("dict-toggle").hasAttribute("data-pending")`)
	if got := js[string](t, ctx, "label", `document.getElementById("dict-toggle").textContent`); got != "사전" {
		t.Errorf("toggle label = %q, want 사전 (cookies %q)", got, js[string](t, ctx, "cookies", `document.cookie`))
	}
	do(t, ctx, "switch on", chromedp.Click(chromedp.CSS("#dict-toggle")))
	waitFor(t, ctx, "loaded", `window.BylineDictionary && document.getElementById("dict-card")`)
	waitFor(t, ctx, "hint shown", `(h => h && !h.hidden)(document.querySelector(".dict-hint"))`)
	if got := js[string](t, ctx, "hint", `document.querySelector(".dict-hint").textContent`); got != "단어를 두 번 탭하거나 선택하면 뜻이 나옵니다." && got != "단어를 더블클릭하거나 선택하면 뜻이 나옵니다." {
		t.Errorf("hint = %q, want Korean", got)
	}
	xy := js[[]float64](t, ctx, "find homes", wordAt+`("homes")`)
	if len(xy) != 2 {
		t.Fatal("no 'homes' in the article body")
	}
	do(t, ctx, "tap", tap(xy[0], xy[1]))
	waitFor(t, ctx, "card after tap", `(c => !c.hidden && !c.hasAttribute("aria-busy") && c.querySelector("#dict-card-h").textContent === "home")(document.getElementById("dict-card"))`)
	if got := js[string](t, ctx, "close label", `document.querySelector("#dict-card .dict-close").getAttribute("aria-label")`); got != "닫기" {
		t.Errorf("close button label = %q, want 닫기", got)
	}
	if got := js[string](t, ctx, "pos", `document.querySelector("#dict-card .dict-pos").textContent`); got != "명사" {
		t.Errorf("part of speech = %q, want 명사", got)
	}
	browser.Axe(t, ctx)
}
