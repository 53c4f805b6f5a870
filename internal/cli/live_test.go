package cli_test

import (
	"bufio"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"byline/internal/demo"
)

// TestShutdownEndsLiveStreams: an open live story stream (Server-Sent
// Events, never idle) does not hold up SIGTERM: the server ends the
// streams as it shuts down and exits within the grace period, cutting
// nothing. (Without it Shutdown would wait the whole grace period.)
func TestShutdownEndsLiveStreams(t *testing.T) {
	addr, stop, _, errb := startServe(t, "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--demo",
		"--shutdown-timeout", "45s", "--log-format", "json")
	res, err := http.Get("http://" + addr + "/story/" + demo.DemoStorySlug + "/live")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); res.StatusCode != 200 || !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("live stream: status %d, type %q", res.StatusCode, ct)
	}
	br := bufio.NewReader(res.Body)
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("stream ended before it said it was connected: %v", err)
		}
		if line == ": connected\n" {
			break
		}
	}
	start := time.Now()
	if code := stop(); code != 0 {
		t.Errorf("exit code = %d, want 0\n%s", code, errb.String())
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("shutdown took %s with a live stream open; want it ended at once, not after the 45s grace period", d)
	}
	if strings.Contains(errb.String(), "cut the connections") {
		t.Errorf("the stream was cut at the end of the grace period; want it ended by the server:\n%s", errb.String())
	}
	if _, err := io.ReadAll(br); err != nil && !strings.Contains(err.Error(), "EOF") {
		t.Logf("stream read after shutdown: %v", err)
	}
}
