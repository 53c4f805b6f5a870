package server_test

import (
	"net/http"
	"testing"

	"byline/internal/testutil"
)

// TestReaderSignInThrottled: starting reader sign-ins from one address
// is refused with 429 and Retry-After after the burst; another address is
// not affected. (On PostgreSQL the buckets are shared by every server:
// see internal/cli TestSignInLimitAcrossServers.)
func TestReaderSignInThrottled(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithArgs("--dev-login", "--trusted-proxies", "127.0.0.1"))
	start := func(addr string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest("GET", app.URL+"/auth/dev/start?return=/", nil)
		req.Header.Set("X-Forwarded-For", addr)
		res, err := app.Client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	for i := range 20 {
		if res := start("198.51.100.7"); res.StatusCode >= 400 {
			t.Fatalf("sign-in %d from one address: %d, want it started", i+1, res.StatusCode)
		}
	}
	res := start("198.51.100.7")
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Errorf("21st sign-in from one address: %d (Retry-After %q), want 429 with Retry-After", res.StatusCode, res.Header.Get("Retry-After"))
	}
	if res := start("203.0.113.9"); res.StatusCode >= 400 {
		t.Errorf("a sign-in from another address: %d, want it started", res.StatusCode)
	}
}
