package cli_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"byline/internal/cli"
)

// The metrics listener serves /metrics; the public port does not.
func TestServeMetricsAddr(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	maddr := l.Addr().String()
	l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	exit := make(chan int, 1)
	var errb syncBuffer
	go func() {
		exit <- cli.Run(ctx, cli.Env{Args: []string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--metrics-addr", maddr},
			Getenv: func(string) string { return "" }, Stdout: io.Discard, Stderr: &errb,
			Ready: func(addr string) { ready <- addr }})
	}()
	var addr string
	select {
	case addr = <-ready:
	case code := <-exit:
		t.Fatalf("serve exited %d: %s", code, errb.String())
	case <-time.After(60 * time.Second):
		t.Fatal("not ready within 60s")
	}
	get := func(url string) (int, string) {
		res, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	get("http://" + addr + "/healthz")
	code, body := get("http://" + maddr + "/metrics")
	if code != 200 || !strings.Contains(body, `byline_http_requests_total{route="GET /healthz",status="200"} 1`) {
		t.Errorf("GET /metrics on the metrics address: %d\n%.2000s", code, body)
	}
	if code, _ := get("http://" + addr + "/metrics"); code != http.StatusNotFound {
		t.Errorf("GET /metrics on the public port: %d, want 404", code)
	}
	cancel()
	<-exit
}
