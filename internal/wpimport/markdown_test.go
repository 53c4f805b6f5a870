package wpimport

import (
	"strings"
	"testing"

	"byline/internal/markup"
)

func TestToMarkdown(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"autop", "First line\nstill first.\n\nSecond paragraph.", "First line  \nstill first.\n\nSecond paragraph."},
		{"emphasis and links", `<p>An <em>important</em> and <strong>bold</strong> <a href="https://example.com/a(b)">link</a>.</p>`,
			"An *important* and **bold** [link](https://example.com/a%28b%29)."},
		{"headings", "<h2>Background</h2><h3>Detail</h3><h5>Small</h5>", "## Background\n\n### Detail\n\n#### Small"},
		{"lists", "<ul><li>One</li><li>Two<ol><li>Sub</li></ol></li></ul>", "- One\n- Two\n   1. Sub"},
		{"quote", "<blockquote><p>We will act.</p><p>Soon.</p></blockquote>", "> We will act.\n>\n> Soon."},
		{"image and caption shortcode", `[caption id="x" align="alignnone" width="300"]<img src="https://old.example/wp-content/uploads/a.jpg" alt="A port"> Busan port[/caption]`,
			"![A port](https://old.example/wp-content/uploads/a.jpg) Busan port"},
		{"scripts dropped", `<p>Safe</p><script>alert(1)</script><iframe src="https://evil"></iframe><p onclick="x()">Also safe</p>`, "Safe\n\nAlso safe"},
		{"javascript link", `<a href="javascript:alert(1)">click</a> <img src="data:image/png;base64,xx">`, "click"},
		{"markdown in text is literal", `Use *stars* and [brackets](javascript:x) and <b>`, `Use \*stars\* and \[brackets\](javascript:x) and`},
		{"line starts", "<p># not a heading</p><p>1. not a list</p>", "\\# not a heading\n\n1\\. not a list"},
		{"pre", "<pre>a := 1\n```x```</pre>", "````\na := 1\n```x```\n````"},
		{"entities", "<p>Tom &amp; Jerry &lt;3 &#8220;quoted&#8221;</p>", "Tom & Jerry \\<3 “quoted”"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ToMarkdown(tc.in); got != tc.want {
				t.Errorf("ToMarkdown(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestMarkdownRendersSafely(t *testing.T) {
	r := markup.New()
	html := string(r.HTML(ToMarkdown(`<p>Hi <a href="https://x.example/" onclick="steal()">there</a></p><script>alert(1)</script><img src=x onerror=alert(1)>`)))
	for _, bad := range []string{"<script", "onclick", "onerror", "javascript:"} {
		if strings.Contains(html, bad) {
			t.Errorf("rendered HTML contains %q: %s", bad, html)
		}
	}
	if !strings.Contains(html, `<a href="https://x.example/"`) {
		t.Errorf("link lost: %s", html)
	}
}
