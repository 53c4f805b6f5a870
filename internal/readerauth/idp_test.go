package readerauth_test

import (
	"net/http/httptest"
	"testing"

	"byline/internal/readerauth/devidp"
)

// testIdP is the development provider served on a port of its own for
// one test, which can stop it to play an absent provider.
type testIdP struct {
	*devidp.Provider
	srv *httptest.Server
}

func startIdP(t *testing.T, clientID, clientSecret string) *testIdP {
	t.Helper()
	p := devidp.New(clientID, clientSecret)
	srv := httptest.NewServer(p.Handler())
	p.Issuer = srv.URL
	t.Cleanup(srv.Close)
	return &testIdP{Provider: p, srv: srv}
}

// Close stops the provider's server: the provider is "down".
func (p *testIdP) Close() {
	p.srv.CloseClientConnections()
	p.srv.Close()
}
