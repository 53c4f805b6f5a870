package providers

import (
	"net/url"
	"regexp"
	"testing"
)

// TestCatalogue: every entry can be configured and reached: a name that
// is a safe path segment and flag stem, a label, and either an issuer
// (given or configured) or HTTPS endpoints; names are unique.
func TestCatalogue(t *testing.T) {
	name := regexp.MustCompile(`^[a-z][a-z0-9]{0,15}$`)
	seen := map[string]bool{}
	for _, s := range All {
		if !name.MatchString(s.Name) || s.Name == "dev" {
			t.Errorf("%q: not a usable provider name (lower-case letters and digits, not dev)", s.Name)
		}
		if seen[s.Name] {
			t.Errorf("%s listed twice", s.Name)
		}
		seen[s.Name] = true
		if s.Label == "" {
			t.Errorf("%s: no label", s.Name)
		}
		if len(s.Scopes) == 0 {
			t.Errorf("%s: no scopes", s.Name)
		}
		switch {
		case s.Issuer != "" || s.IssuerFlag:
			if s.Issuer != "" {
				checkHTTPS(t, s.Name+" issuer", s.Issuer)
			}
		case s.Versioned:
			// readerauth builds the endpoints from the version.
		default:
			for what, u := range map[string]string{"auth": s.AuthURL, "token": s.TokenURL, "userinfo": s.UserInfoURL} {
				checkHTTPS(t, s.Name+" "+what+" URL", u)
			}
		}
		if got, ok := ByName(s.Name); !ok || got.Name != s.Name {
			t.Errorf("ByName(%q) = %v, %v", s.Name, got.Name, ok)
		}
	}
	for _, want := range []string{"x", "facebook"} { // the paper's own sentence names them
		if !seen[want] {
			t.Errorf("%s is missing", want)
		}
	}
	if _, ok := ByName("myspace"); ok {
		t.Error("ByName found a provider that is not listed")
	}
}

func checkHTTPS(t *testing.T, what, raw string) {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		t.Errorf("%s %q: want an https URL", what, raw)
	}
}
