package markup

import (
	"strings"
	"testing"
)

func TestHTMLSanitizes(t *testing.T) {
	r := New()
	cases := []struct{ in, mustNot, must string }{
		{"Hello <script>alert(1)</script>", "<script", "Hello"},
		{"[x](javascript:alert(1))", "javascript:", "x"},
		{"<img src=x onerror=alert(1)>", "onerror", ""},
		{"## Heading\n\nText with **bold**.", "", "<strong>bold</strong>"},
		{"<a href=\"https://ex.example\" onclick=\"x()\">a</a>", "onclick", ""},
	}
	for _, c := range cases {
		got := string(r.HTML(c.in))
		if c.mustNot != "" && strings.Contains(got, c.mustNot) {
			t.Errorf("HTML(%q) = %q, contains %q", c.in, got, c.mustNot)
		}
		if !strings.Contains(got, c.must) {
			t.Errorf("HTML(%q) = %q, want it to contain %q", c.in, got, c.must)
		}
	}
}

func TestText(t *testing.T) {
	got := New().Text("## Sub\n\nThe **budget** passed [today](https://x.example).\n\n- one\n- two & three")
	want := "Sub\n\nThe budget passed today.\n\none\n\ntwo & three"
	if got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
}

func TestSummary(t *testing.T) {
	if got := Summary("short text", 20); got != "short text" {
		t.Errorf("got %q", got)
	}
	if got := Summary("The assembly passed the budget on Friday night", 20); got != "The assembly passed…" {
		t.Errorf("got %q", got)
	}
	if got := Summary(strings.Repeat("가", 50), 10); got != strings.Repeat("가", 10)+"…" {
		t.Errorf("got %q", got)
	}
}

func TestHighlight(t *testing.T) {
	got := string(Highlight("a \x02<b>\x03 c \x02open", "\x02", "\x03"))
	want := "a <mark>&lt;b&gt;</mark> c <mark>open</mark>"
	if got != want {
		t.Errorf("Highlight = %q, want %q", got, want)
	}
}
