package markup

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// FuzzMarkdownHTML: whatever an article body holds, the sanitized HTML
// has no script, style, frame or form element, no event-handler
// attribute and no link or source with a script or data scheme.
//
//	go test ./internal/markup/ -run '^$' -fuzz FuzzMarkdownHTML -fuzztime 30s
func FuzzMarkdownHTML(f *testing.F) {
	for _, s := range []string{"# Title\n\nBody *em* **strong** [link](https://example.com)",
		"<script>alert(1)</script>", "[x](javascript:alert(1))", "![i](data:text/html;base64,PHNjcmlwdD4=)",
		"<img src=x onerror=alert(1)>", "| a | b |\n|---|---|\n| <b onclick=x>1</b> | 2 |", "[x](JaVaScRiPt&#58;alert(1))",
		"<a href=\"java\tscript:alert(1)\">x</a>", "> quote\n\n- [ ] task\n- [x] done", "```html\n<script>x</script>\n```"} {
		f.Add(s)
	}
	r := New()
	f.Fuzz(func(t *testing.T, src string) {
		out := string(r.HTML(src))
		doc, err := goquery.NewDocumentFromReader(strings.NewReader("<body>" + out + "</body>"))
		if err != nil {
			t.Fatal(err)
		}
		doc.Find("body *").Each(func(_ int, s *goquery.Selection) {
			name := goquery.NodeName(s)
			switch name {
			case "script", "style", "iframe", "frame", "object", "embed", "form", "input", "button", "textarea", "svg", "math", "base", "meta", "link":
				t.Errorf("element <%s> survived sanitizing: %q from %q", name, out, src)
			}
			for _, a := range s.Nodes[0].Attr {
				key := strings.ToLower(a.Key)
				if strings.HasPrefix(key, "on") || key == "style" || key == "srcdoc" || key == "formaction" {
					t.Errorf("attribute %s on <%s> survived: %q from %q", a.Key, name, out, src)
				}
				if key == "href" || key == "src" || key == "cite" {
					v := strings.ToLower(strings.Map(func(r rune) rune {
						if r <= ' ' {
							return -1
						}
						return r
					}, a.Val))
					for _, bad := range []string{"javascript:", "vbscript:", "data:"} {
						if strings.HasPrefix(v, bad) {
							t.Errorf("%s=%q on <%s> survived: from %q", a.Key, a.Val, name, src)
						}
					}
				}
			}
		})
		if txt := r.Text(src); strings.Contains(strings.ToLower(txt), "<script") && !strings.Contains(strings.ToLower(src), "script") {
			t.Errorf("plain text %q has a script tag the source did not", txt)
		}
	})
}
