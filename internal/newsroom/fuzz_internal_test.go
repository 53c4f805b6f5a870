package newsroom

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzSafeNext: the post-login redirect stays on this site's /admin, as
// a browser would resolve it.
//
//	go test ./internal/newsroom/ -run '^$' -fuzz FuzzSafeNext -fuzztime 30s
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/admin/", "/admin/articles/1", "//evil.example", "/admin\\..\\..\\evil", "https://evil.example/admin", "/admin@evil.example",
		"/admin/%2e%2e/%2e%2e", "/administrator", "/admin\t//x", ""} {
		f.Add(s)
	}
	site, _ := url.Parse("https://news.example.com/admin/login")
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		loose := strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(got)
		u, err := site.Parse(loose)
		if err != nil {
			return // the browser would not follow it either
		}
		if u.Host != "news.example.com" || u.Scheme != "https" || u.User != nil || !strings.HasPrefix(u.Path, "/admin") {
			t.Errorf("safeNext(%q) = %q leads to %s", next, got, u)
		}
	})
}
