package e2e

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"byline/internal/e2e/browser"
	"byline/internal/news"
	"byline/internal/testutil"
)

// embedHosts are the hosts an embed may contact (the allowlist's players
// and the providers' pages): none may be asked for anything before the
// reader presses the embed's button.
var embedHosts = []string{"youtube", "ytimg", "vimeo", "twitter.com", "x.com", "instagram", "openstreetmap", "google"}

// TestEmbedLoadsOnClick: an article with a YouTube embed shows the
// placeholder and sends no request to a provider until the reader
// presses its button; the button then puts the youtube-nocookie player
// in place. Without script, the placeholder is a link to the video.
func TestEmbedLoadsOnClick(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithDemo())
	bg := context.Background()
	a := app.DemoArticle(t, "hanseong-hbm-bet")
	a.Body = "The council met on Tuesday.\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\nThe vote was close.\n\nhttps://www.openstreetmap.org/?mlat=37.5665&mlon=126.978#map=15/37.5665/126.978\n\n" + a.Body
	if err := app.Store.UpdateArticle(bg, &a); err != nil {
		t.Fatalf("update article: %v", err)
	}
	app.Notify(news.Change{Kind: news.ChangeContent, ArticleID: a.ID})

	ctx := browser.New(t)
	var mu sync.Mutex
	var requests []string
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			requests = append(requests, e.Request.URL)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	toProviders := func() []string {
		mu.Lock()
		defer mu.Unlock()
		var out []string
		for _, u := range requests {
			pu, err := url.Parse(u)
			if err != nil {
				continue
			}
			for _, h := range embedHosts {
				if strings.Contains(pu.Hostname(), h) {
					out = append(out, u)
					break
				}
			}
		}
		return out
	}

	browser.Navigate(t, ctx, app.URL+a.URL())
	run(t, ctx, "load", chromedp.Evaluate[bool](`(async () => {
		if (document.readyState !== "complete") await new Promise(r => addEventListener("load", r, {once: true}));
		await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
		return true;
	})()`, chromedp.EvalAwaitPromise))
	if n := run(t, ctx, "placeholders", chromedp.Evaluate[int](`document.querySelectorAll(".story-body figure.embed .embed-box").length`)); n != 2 {
		t.Fatalf("embed placeholders = %d, want 2", n)
	}
	if n := run(t, ctx, "iframes", chromedp.Evaluate[int](`document.querySelectorAll(".story-body iframe").length`)); n != 0 {
		t.Errorf("iframes before the click = %d, want 0", n)
	}
	// The reserved box has the player's shape before anything loads.
	ratio := run(t, ctx, "box ratio", chromedp.Evaluate[float64](`(() => { const r = document.querySelector(".embed-youtube .embed-box").getBoundingClientRect(); return r.width / r.height; })()`))
	if ratio < 1.7 || ratio > 1.85 {
		t.Errorf("YouTube placeholder width/height = %.3f, want 16:9 reserved", ratio)
	}
	button := `.embed-youtube button.embed-load`
	name := run(t, ctx, "button name", chromedp.Evaluate[string](`document.querySelector("`+button+`").textContent`))
	if !strings.Contains(name, "YouTube") {
		t.Errorf("button name = %q, want it to name YouTube", name)
	}
	if got := toProviders(); len(got) != 0 {
		t.Fatalf("requests to embed providers before any click: %v", got)
	}
	browser.Axe(t, ctx)

	run(t, ctx, "click", chromedp.Evaluate[bool](`document.querySelector("`+button+`").click(), true`))
	src := run(t, ctx, "iframe", chromedp.Evaluate[string](`new Promise((resolve, reject) => {
		const deadline = Date.now() + 10000;
		(function poll() {
			const f = document.querySelector(".embed-youtube iframe");
			if (f) return resolve(f.src + "|" + f.title);
			if (Date.now() > deadline) return reject(new Error("no iframe 10 s after the click"));
			setTimeout(poll, 20);
		})();
	})`, chromedp.EvalAwaitPromise))
	if src != "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ|YouTube video" {
		t.Errorf("iframe src|title = %q, want the youtube-nocookie player titled \"YouTube video\"", src)
	}
	// The click is what asks the provider: the player's request goes out.
	sawPlayer := false
	for deadline := time.Now().Add(10 * time.Second); !sawPlayer && time.Now().Before(deadline); {
		for _, u := range toProviders() {
			if strings.HasPrefix(u, "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ") {
				sawPlayer = true
			}
		}
		if !sawPlayer {
			run(t, ctx, "wait", chromedp.Evaluate[bool](`new Promise(r => setTimeout(() => r(true), 50))`, chromedp.EvalAwaitPromise))
		}
	}
	if !sawPlayer {
		t.Errorf("no request for the youtube-nocookie player after the click; requests: %v", toProviders())
	}
	// The map was not clicked: still a placeholder, nothing asked of it.
	if n := run(t, ctx, "map iframes", chromedp.Evaluate[int](`document.querySelectorAll(".embed-openstreetmap iframe").length`)); n != 0 {
		t.Errorf("the map loaded without a click")
	}
	for _, u := range toProviders() {
		if strings.Contains(u, "openstreetmap") {
			t.Errorf("request to the map's provider without a click: %s", u)
		}
	}

	// Without script: the placeholder is a plain link to the video.
	nctx, cancel := chromedp.NewContext(ctx)
	defer cancel()
	if _, err := chromedp.Call(nctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	browser.Navigate(t, nctx, app.URL+a.URL())
	href := run(t, nctx, "no-script link", chromedp.AttributeValue(chromedp.CSS(`.embed-youtube a.embed-link`), "href"))
	text := run(t, nctx, "no-script link text", chromedp.Text(chromedp.CSS(`.embed-youtube a.embed-link`)))
	if href.Value != "https://www.youtube.com/watch?v=dQw4w9WgXcQ" || text != "Watch on YouTube" {
		t.Errorf("no-script link = %q %q, want the video page and \"Watch on YouTube\"", href.Value, text)
	}
	if n := run(t, nctx, "no-script buttons", chromedp.Evaluate[int](`document.querySelectorAll("button.embed-load").length`)); n != 0 {
		t.Errorf("without script the page shows %d load buttons that cannot work", n)
	}
}
