package cli_test

import (
	"net/http"
	"testing"
)

// TestSignInLimitAcrossServers: reader sign-in throttling is shared by two
// servers on one PostgreSQL database, as comment limits are: the address
// that spent its burst on server A is refused on server B too.
//
//	eval "$(scripts/pg-test.sh)"; go test ./internal/cli/ -run TestSignInLimitAcrossServers
func TestSignInLimitAcrossServers(t *testing.T) {
	db := freshDatabase(t, "signin")
	common := []string{"serve", "--database=" + db, "--addr", "127.0.0.1:0", "--log-level", "warn", "--dev-login", "--trusted-proxies", "127.0.0.1"}
	a := serveInProcess(t, append(common, "--data", t.TempDir())).url.String()
	b := serveInProcess(t, append(common, "--data", t.TempDir())).url.String()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	start := func(base, addr string) int {
		t.Helper()
		req, _ := http.NewRequest("GET", base+"/auth/dev/start?return=/", nil)
		req.Header.Set("X-Forwarded-For", addr)
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	// The burst is 20: ten on each server.
	for i := range 20 {
		base := a
		if i%2 == 1 {
			base = b
		}
		if code := start(base, "198.51.100.7"); code >= 400 {
			t.Fatalf("sign-in %d: %d, want it started", i+1, code)
		}
	}
	for _, base := range []string{a, b} {
		if code := start(base, "198.51.100.7"); code != http.StatusTooManyRequests {
			t.Errorf("sign-in past the shared burst on %s: %d, want 429 (each server alone would allow 20)", base, code)
		}
	}
	if code := start(b, "203.0.113.9"); code >= 400 {
		t.Errorf("another address: %d, want it started", code)
	}
}
