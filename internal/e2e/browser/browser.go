// Package browser runs headless Chromium for Byline's browser tests: it
// finds the browser, starts it with a fresh profile, checks pages with
// axe-core and saves screenshots. Tests call New and then drive the page
// with chromedp.
//
// Chromium is found at $BYLINE_CHROMIUM, /usr/bin/chromium or
// chromium-browser on the PATH (Debian: apt-get install chromium). Without
// it a test is skipped, except under CI=true, where it fails. axe-core
// comes from npm (npm ci --prefix tools); $BYLINE_AXE_JS overrides its
// path. Screenshots go to $BYLINE_SCREENSHOTS when set, else to the
// test's temporary directory.
package browser

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Timeout bounds a whole browser test, so that a hung page fails the test
// instead of the test binary.
const Timeout = 3 * time.Minute

// InCI reports whether the tests run under CI (CI=true), where missing
// tools are failures, not skips.
func InCI() bool {
	v := strings.ToLower(os.Getenv("CI"))
	return v == "true" || v == "1" || v == "yes"
}

// SkipOrFail skips the test with msg, or fails it under CI.
func SkipOrFail(t testing.TB, msg string) {
	t.Helper()
	if InCI() {
		t.Fatal(msg + " (CI=true, so this is a failure, not a skip)")
	}
	t.Skip(msg)
}

// Chromium returns the path of the browser, or "" when there is none.
func Chromium() string {
	if p := os.Getenv("BYLINE_CHROMIUM"); p != "" {
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// New starts a headless browser with a fresh profile and returns a
// chromedp context for one tab. The browser stops when the test ends.
func New(t testing.TB) context.Context {
	t.Helper()
	path := Chromium()
	if path == "" {
		SkipOrFail(t, "no Chromium found: install it (apt-get install chromium) or set BYLINE_CHROMIUM to its path")
	}
	profile := t.TempDir()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox, // tests run as root in containers
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.Flag("lang", "en-US"),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
	}
	ctx, cancelTimeout := context.WithTimeout(context.Background(), Timeout)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	// Cleanups run last-in first-out: the browser stops before its
	// profile directory is removed.
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
		cancelTimeout()
	})
	// Start the browser now, so a broken install fails here, clearly.
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	return bctx
}

// Navigate opens url and waits for the page to load.
func Navigate(t testing.TB, ctx context.Context, url string) {
	t.Helper()
	res, err := chromedp.Run(ctx, chromedp.NavigateResponse(url))
	if err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	if res != nil && res.Status >= 400 {
		t.Errorf("open %s: status %d", url, res.Status)
	}
}

// AxeScript is the path of axe.min.js: $BYLINE_AXE_JS, or
// tools/node_modules/axe-core/axe.min.js at the module root.
func AxeScript() string {
	if p := os.Getenv("BYLINE_AXE_JS"); p != "" {
		return p
	}
	if root := moduleRoot(); root != "" {
		return filepath.Join(root, "tools", "node_modules", "axe-core", "axe.min.js")
	}
	return ""
}

// moduleRoot finds the directory of go.mod above the working directory.
func moduleRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// ModuleRoot is the directory holding go.mod ("" when not found).
func ModuleRoot() string { return moduleRoot() }

// Violation is one axe-core rule that a page breaks.
type Violation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []struct {
		Target         []any  `json:"target"`
		HTML           string `json:"html"`
		FailureSummary string `json:"failureSummary"`
	} `json:"nodes"`
}

// Axe runs axe-core on the page the tab shows and fails the test on any
// violation, printing each rule with its impact and the elements at
// fault. It returns the violations for tests that want to look closer.
func Axe(t testing.TB, ctx context.Context) []Violation {
	t.Helper()
	path := AxeScript()
	src, err := os.ReadFile(path)
	if err != nil {
		SkipOrFail(t, fmt.Sprintf("axe-core not found at %q (run: npm ci --prefix tools, or set BYLINE_AXE_JS): %v", path, err))
	}
	// DevTools evaluation is not subject to the page's CSP, which
	// (rightly) forbids injected scripts.
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](string(src))); err != nil {
		t.Fatalf("inject axe-core: %v", err)
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("run axe-core: %v", err)
	}
	var vs []Violation
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		t.Fatalf("axe-core result: %v", err)
	}
	url, _ := chromedp.Run(ctx, chromedp.Location())
	for _, v := range vs {
		var b strings.Builder
		fmt.Fprintf(&b, "axe: %s: %s (%s) %s\n", url, v.ID, v.Impact, v.Help)
		for i, n := range v.Nodes {
			if i == 8 {
				fmt.Fprintf(&b, "    … and %d more elements\n", len(v.Nodes)-i)
				break
			}
			fmt.Fprintf(&b, "    at %v: %s\n", n.Target, oneLine(n.HTML, 160))
			if n.FailureSummary != "" {
				fmt.Fprintf(&b, "       %s\n", oneLine(n.FailureSummary, 300))
			}
		}
		fmt.Fprintf(&b, "    see %s", v.HelpURL)
		t.Error(b.String())
	}
	return vs
}

func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > max {
		s = s[:max] + "…"
	}
	return s
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// ScreenshotDir is where screenshots go: $BYLINE_SCREENSHOTS (created if
// needed) or a temporary directory of the test.
func ScreenshotDir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("BYLINE_SCREENSHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatalf("screenshot directory: %v", err)
		}
		return d
	}
	return t.TempDir()
}

// Screenshot saves a PNG of the whole page as dir/name.png and returns
// its path.
func Screenshot(t testing.TB, ctx context.Context, dir, name string) string {
	t.Helper()
	// Lazy images below the fold would be blank in a full-page shot.
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('img[loading="lazy"]').forEach(i => i.loading = "eager")`)); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`Array.from(document.images).every(i => i.complete)`, chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		t.Logf("screenshot %s: images still loading: %v", name, err)
	}
	return save(t, ctx, chromedp.FullScreenshot(100), dir, name)
}

// ScreenshotViewport saves a PNG of what the window shows (the top of
// the page, as a reader first sees it).
func ScreenshotViewport(t testing.TB, ctx context.Context, dir, name string) string {
	t.Helper()
	return save(t, ctx, chromedp.CaptureScreenshot(), dir, name)
}

func save(t testing.TB, ctx context.Context, shot chromedp.Action[[]byte], dir, name string) string {
	t.Helper()
	buf, err := chromedp.Run(ctx, shot)
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(dir, unsafeName.ReplaceAllString(name, "-")+".png")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	t.Logf("screenshot: %s", path)
	return path
}
