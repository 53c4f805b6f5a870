package readerauth_test

import (
	"net/url"
	"strings"
	"testing"

	"byline/internal/readerauth"
)

// FuzzSafeReturn: a validated return path never leaves the site, as a
// browser would resolve it (browsers drop tabs and newlines and read
// backslashes as slashes), and a path it keeps is kept unchanged.
//
//	go test ./internal/readerauth/ -run '^$' -fuzz FuzzSafeReturn -fuzztime 30s
func FuzzSafeReturn(f *testing.F) {
	for _, s := range []string{"/", "/article/1/x#comments", "//evil.example", "/\\evil.example", "https://evil.example/", "/\t/evil.example",
		"/%2F%2Fevil.example", "javascript:alert(1)", "/a?next=//evil", "\\\\evil", "/.//evil", "/@evil.example", ""} {
		f.Add(s)
	}
	site, _ := url.Parse("https://news.example.com/article/1/x")
	f.Fuzz(func(t *testing.T, p string) {
		got := readerauth.SafeReturn(p)
		if got != p && got != "/" {
			t.Errorf("SafeReturn(%q) = %q: neither the path nor /", p, got)
		}
		// What a browser does with a Location header before resolving it.
		loose := strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(got)
		u, err := site.Parse(loose)
		if err != nil {
			t.Fatalf("SafeReturn(%q) = %q, which does not parse: %v", p, got, err)
		}
		if u.Host != "news.example.com" || u.Scheme != "https" || u.User != nil {
			t.Errorf("SafeReturn(%q) = %q leads to %s", p, got, u)
		}
	})
}
