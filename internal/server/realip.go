package server

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// realIP makes r.RemoteAddr the reader's address when the request came
// through a trusted reverse proxy: the right-most X-Forwarded-For entry
// that is not itself a trusted proxy. Rate limits and login throttling
// read RemoteAddr; without this, every reader behind nginx would share
// nginx's address and budget. Untrusted clients cannot forge it: their
// header is ignored.
func realIP(trusted []netip.Prefix) Middleware {
	isTrusted := func(a netip.Addr) bool {
		a = a.Unmap()
		for _, p := range trusted {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}
	return func(next http.Handler) http.Handler {
		if len(trusted) == 0 {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			host, _, err := net.SplitHostPort(r.RemoteAddr)
			peer, perr := netip.ParseAddr(host)
			if err != nil || perr != nil || !isTrusted(peer) {
				next.ServeHTTP(w, r)
				return
			}
			hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
			for i := len(hops) - 1; i >= 0; i-- {
				a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
				if err != nil {
					break // a malformed hop: keep the proxy's address
				}
				if !isTrusted(a) {
					r2 := *r
					r2.RemoteAddr = netip.AddrPortFrom(a.Unmap(), 0).String()
					next.ServeHTTP(w, &r2)
					return
				}
			}
			next.ServeHTTP(w, r)
		})
	}
}
