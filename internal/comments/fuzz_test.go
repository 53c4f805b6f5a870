package comments

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// FuzzCommentHTML: a rendered comment holds no element but <a> (and the
// <br> of its line breaks), every link carries the safe rel and an
// http(s) href, the links are the ones CountLinks counts, and the text
// a reader sees is exactly the comment.
//
//	go test ./internal/comments/ -run '^$' -fuzz FuzzCommentHTML -fuzztime 30s
func FuzzCommentHTML(f *testing.F) {
	for _, s := range []string{"", "plain", "see https://example.com/a?b=1&c=2.", "www.example.org)", "<script>alert(1)</script>",
		"a\nb\n\nc", "\"><img src=x onerror=alert(1)>", "https://x.example/\"onmouseover=\"x", "javascript:alert(1) http://", "WWW.EXAMPLE.COM/<b>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		if !isValidText(body) {
			t.Skip()
		}
		out := string(HTML(body))
		doc, err := goquery.NewDocumentFromReader(strings.NewReader("<body>" + out + "</body>"))
		if err != nil {
			t.Fatal(err)
		}
		links := 0
		doc.Find("body *").Each(func(_ int, s *goquery.Selection) {
			switch name := goquery.NodeName(s); name {
			case "br":
			case "a":
				links++
				href, _ := s.Attr("href")
				if rel, _ := s.Attr("rel"); rel != "nofollow ugc noopener" {
					t.Errorf("link rel = %q in %q", rel, out)
				}
				if l := strings.ToLower(href); !strings.HasPrefix(l, "http://") && !strings.HasPrefix(l, "https://") {
					t.Errorf("link href = %q in %q", href, out)
				}
				for _, a := range s.Nodes[0].Attr {
					if a.Key != "href" && a.Key != "rel" && a.Key != "target" {
						t.Errorf("link attribute %q in %q", a.Key, out)
					}
				}
			default:
				t.Errorf("element <%s> in rendered comment %q (from %q)", name, out, body)
			}
		})
		if links != CountLinks(body) {
			t.Errorf("%d links rendered, CountLinks says %d, for %q", links, CountLinks(body), body)
		}
		var seen strings.Builder
		doc.Find("body").Contents().Each(func(_ int, s *goquery.Selection) {
			if goquery.NodeName(s) == "br" {
				return
			}
			seen.WriteString(s.Text())
		})
		want := strings.ReplaceAll(body, "\r", "")
		got := strings.ReplaceAll(seen.String(), "\r", "")
		if got != want && strings.ToValidUTF8(got, "") != strings.ToValidUTF8(want, "") && !strings.ContainsRune(body, 0) {
			t.Errorf("text shown = %q, want the comment %q", got, want)
		}
	})
}

// isValidText skips inputs a comment can never hold (NormalizeBody
// refuses or rewrites them before rendering).
func isValidText(s string) bool {
	n, err := NormalizeBody(s)
	return err == nil && n == s
}

// FuzzNormalizeBody: normalising is idempotent and never returns text
// NormalizeBody itself would refuse.
func FuzzNormalizeBody(f *testing.F) {
	for _, s := range []string{"", " a  b ", "line\r\n\r\n\r\nline", "\u200bzero width", "e\u0301", "한국어 댓글", "\x00\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := NormalizeBody(s)
		if err != nil {
			return
		}
		n2, err := NormalizeBody(n)
		if err != nil || n2 != n {
			t.Errorf("NormalizeBody(%q) = %q, again %q (%v): not idempotent", s, n, n2, err)
		}
	})
}
