package server

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestRealIP(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("10.0.0.0/8")}
	var got string
	h := realIP(trusted)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r.RemoteAddr }))
	cases := []struct {
		name, remote, xff, want string
	}{
		{"direct client, header ignored", "203.0.113.9:5000", "198.51.100.1", "203.0.113.9:5000"},
		{"through the proxy", "127.0.0.1:4000", "198.51.100.7", "198.51.100.7:0"},
		{"forged left-most entry is not believed", "127.0.0.1:4000", "1.2.3.4, 198.51.100.7", "198.51.100.7:0"},
		{"two trusted hops", "127.0.0.1:4000", "198.51.100.7, 10.1.2.3", "198.51.100.7:0"},
		{"garbage hop keeps the proxy", "127.0.0.1:4000", "not-an-ip", "127.0.0.1:4000"},
		{"no header", "127.0.0.1:4000", "", "127.0.0.1:4000"},
		{"ipv6 client", "127.0.0.1:4000", "2001:db8::1", "[2001:db8::1]:0"},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.remote
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		h.ServeHTTP(httptest.NewRecorder(), r)
		if got != c.want {
			t.Errorf("%s: RemoteAddr = %q, want %q", c.name, got, c.want)
		}
	}
}
