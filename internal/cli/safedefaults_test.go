package cli_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"byline/internal/cli"
)

// startServe runs `byline serve` in-process with args and returns its
// address, a stop function that returns the exit code, and its output.
func startServe(t *testing.T, args ...string) (addr string, stop func() int, out, errb *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	exit := make(chan int, 1)
	ready := make(chan string, 1)
	out, errb = &syncBuffer{}, &syncBuffer{}
	go func() {
		exit <- cli.Run(ctx, cli.Env{Args: append([]string{"serve"}, args...), Getenv: func(string) string { return "" },
			Stdout: out, Stderr: errb, Ready: func(a string) { ready <- a }})
	}()
	code := -1
	stopped := false
	stop = func() int {
		if !stopped {
			cancel()
			select {
			case code = <-exit:
			case <-time.After(60 * time.Second):
				t.Fatal("serve did not stop within 60s")
			}
			stopped = true
		}
		return code
	}
	t.Cleanup(func() { stop() })
	select {
	case addr = <-ready:
	case c := <-exit:
		stopped, code = true, c
		t.Fatalf("serve exited %d before it was ready: %s", c, errb.String())
	case <-time.After(60 * time.Second):
		t.Fatal("serve not ready within 60s")
	}
	return addr, stop, out, errb
}

// TestDevLoginOnlyOnLoopback: "sign in as anyone" is not offered to the
// network unless a second flag says so. (Before: serve --dev-login
// listened on :8080, every interface.)
func TestDevLoginOnlyOnLoopback(t *testing.T) {
	for _, addr := range []string{":0", "0.0.0.0:0", "[::]:0"} {
		// Bounded, so that a server that wrongly starts ends the test.
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		var errb syncBuffer
		code := cli.Run(ctx, cli.Env{Args: []string{"serve", "--dev-login", "--addr", addr, "--data", t.TempDir()},
			Getenv: func(string) string { return "" }, Stdout: io.Discard, Stderr: &errb})
		cancel()
		r := result{code: code, stderr: errb.String()}
		if r.code == 0 || !strings.Contains(r.stderr, "--dev-login-on-network") || !strings.Contains(r.stderr, "sign in as anyone") {
			t.Errorf("serve --dev-login --addr %s: exit %d, stderr %q; want a refusal that names --dev-login-on-network and says why", addr, r.code, r.stderr)
		}
	}
	// With the second flag it serves on every interface, and says so.
	addr, stop, _, errb := startServe(t, "--dev-login", "--dev-login-on-network", "--addr", ":0", "--data", t.TempDir())
	if host, _, _ := net.SplitHostPort(addr); host != "::" && host != "0.0.0.0" {
		t.Errorf("with --dev-login-on-network it listens on %s, want every interface", addr)
	}
	if code := stop(); code != 0 {
		t.Errorf("exit %d", code)
	}
	if !strings.Contains(errb.String(), "reachable from the network") {
		t.Errorf("the log does not warn that dev login is reachable from the network:\n%s", errb.String())
	}
}

// TestBaseURLFollowsAddr: without --base-url, links, feeds and sitemaps
// name the address the server listens on (they said localhost:8080 on
// any port before), and the URL to open is printed.
func TestBaseURLFollowsAddr(t *testing.T) {
	addr, _, out, _ := startServe(t, "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--demo")
	base := "http://" + addr
	if !strings.Contains(out.String(), "Open "+base+"/ in your browser") {
		t.Errorf("stdout %q does not print the URL to open (%s/)", out.String(), base)
	}
	res, err := http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(res.Body)
	res.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := doc.Find(`link[rel="canonical"]`).Attr("href"); !strings.HasPrefix(got, base+"/") {
		t.Errorf("canonical link = %q, want it under %s/", got, base)
	}
	for _, path := range []string{"/feed/rss", "/sitemap.xml", "/robots.txt"} {
		res, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.Contains(string(body), base+"/") || strings.Contains(string(body), "localhost:8080") {
			t.Errorf("GET %s: %d; want links under %s/ and none to localhost:8080", path, res.StatusCode, base)
		}
	}
}

// TestShutdownCutsStuckClients: a client stuck in the middle of sending
// a request does not turn SIGTERM into a failure. (Before: exit 1 with
// "shutdown: context deadline exceeded" after the grace period.)
func TestShutdownCutsStuckClients(t *testing.T) {
	addr, stop, _, errb := startServe(t, "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--demo",
		"--shutdown-timeout", "500ms", "--log-format", "json")
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Half the headers arrive, then nothing. (A request whose headers
	// were complete could be refused by a guard before its body is read,
	// and the connection would then close by itself.)
	fmt.Fprintf(conn, "POST /api/v1/articles/1/comments HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n", addr)
	// A second, normal request on a connection opened after it answers:
	// the server accepts connections in order, so it holds the stuck one.
	res, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	start := time.Now()
	if code := stop(); code != 0 {
		t.Errorf("exit code = %d, want 0\n%s", code, errb.String())
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("shutdown took %s with a 500ms grace period", d)
	}
	var cut string
	sc := bufio.NewScanner(strings.NewReader(errb.String()))
	for sc.Scan() {
		if strings.Contains(sc.Text(), "cut the connections") {
			cut = sc.Text()
		}
	}
	if !strings.Contains(cut, `"connections":1`) {
		t.Errorf("no log line with the number of connections cut (want 1); log:\n%s", errb.String())
	}
}
