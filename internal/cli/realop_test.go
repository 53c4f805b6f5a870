package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"byline/internal/cli"
	"byline/internal/store/sqlitestore"
)

// TestSignInWithRealOpenIDProvider signs a reader in through a real
// OpenID provider -- the example OP of zitadel/oidc v3.52.0, run as its
// own process -- by filling in its login form over HTTP, and finishes
// each sign-in on a different Byline process than the one that started
// it: across a restart on SQLite, and from server A to server B on one
// PostgreSQL database. Then the reader posts a comment.
//
//	eval "$(scripts/test-op.sh)"; eval "$(scripts/pg-test.sh)"
//	go test ./internal/cli/ -run TestSignInWithRealOpenIDProvider
func TestSignInWithRealOpenIDProvider(t *testing.T) {
	opBin := os.Getenv("BYLINE_TEST_OIDC_OP")
	if opBin == "" {
		msg := "BYLINE_TEST_OIDC_OP is not set: build the real OpenID provider with eval \"$(scripts/test-op.sh)\""
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	// Readers reach the site through one address (as behind a load
	// balancer); the test decides which Byline process answers.
	var backend atomic.Pointer[url.URL]
	front := httptest.NewServer(&httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(backend.Load())
		r.Out.Host = r.In.Host
	}})
	defer front.Close()
	issuer := startOP(t, opBin, front.URL+"/auth/oidc/callback")

	common := []string{"--addr", "127.0.0.1:0", "--base-url", front.URL, "--log-level", "warn",
		"--oidc-issuer", issuer, "--oidc-client-id", "web", "--oidc-client-secret", "secret", "--oidc-name", "Test OP"}

	t.Run("sqlite across a restart", func(t *testing.T) {
		dir := t.TempDir()
		args := append([]string{"serve", "--data", dir, "--demo"}, common...)
		first := serveInProcess(t, args)
		backend.Store(first.url)
		c := newBrowser()
		callback := signInAtOP(t, c, front.URL)
		first.stop(t)
		second := serveInProcess(t, args)
		backend.Store(second.url)
		finishSignIn(t, c, callback)
		postComment(t, c, front.URL)
		// The OP's verified e-mail (the email scope, email_verified) is
		// the reader's address for notices.
		st, err := sqlitestore.Open(context.Background(), filepath.Join(dir, "byline.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		rs, err := st.ListReaders(context.Background(), 10, 0)
		if err != nil || len(rs) != 1 || rs[0].Provider != "oidc" || rs[0].NoticeEmail != "test-user@zitadel.ch" {
			t.Errorf("readers after the sign-in = %+v (%v), want one with the OP's verified address test-user@zitadel.ch", rs, err)
		}
	})

	t.Run("postgres from server A to server B", func(t *testing.T) {
		db := freshDatabase(t, "op")
		if r := run(t, nil, "demo", "--database="+db, "--data", t.TempDir()); r.code != 0 {
			t.Fatalf("demo: %s", r.stderr)
		}
		a := serveInProcess(t, append([]string{"serve", "--database=" + db, "--data", t.TempDir()}, common...))
		b := serveInProcess(t, append([]string{"serve", "--database=" + db, "--data", t.TempDir()}, common...))
		backend.Store(a.url)
		c := newBrowser()
		callback := signInAtOP(t, c, front.URL)
		backend.Store(b.url)
		finishSignIn(t, c, callback)
		postComment(t, c, front.URL)
		// Server A knows the session too: it lives in the database.
		backend.Store(a.url)
		if name := meName(t, c, front.URL); name == "" {
			t.Error("server A does not know the session server B started")
		}
	})
}

// startOP runs the example OP on a free port and waits for its
// discovery document. The OP takes a port number, not a listener, so
// the port is picked by listening on :0 and closing.
func startOP(t *testing.T, bin, redirect string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "PORT="+port, "REDIRECT_URI="+redirect)
	var logs syncBuffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("start the OP: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("OP log:\n%s", logs.String())
		}
	})
	issuer := "http://localhost:" + port + "/"
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := http.Get(issuer + ".well-known/openid-configuration")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return issuer
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the OP did not answer within 30s: %v\n%s", err, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

type inProcess struct {
	url    *url.URL
	cancel context.CancelFunc
	exit   chan int
	errb   *syncBuffer
}

// serveInProcess runs `byline serve` through cli.Run until the test ends
// or stop is called.
func serveInProcess(t *testing.T, args []string) *inProcess {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	p := &inProcess{cancel: cancel, exit: make(chan int, 1), errb: &syncBuffer{}}
	ready := make(chan string, 1)
	go func() {
		p.exit <- cli.Run(ctx, cli.Env{Args: args, Getenv: func(string) string { return "" },
			Stdout: io.Discard, Stderr: p.errb, Ready: func(addr string) { ready <- addr }})
	}()
	t.Cleanup(func() {
		cancel()
		<-p.exit
		if t.Failed() {
			t.Logf("server log:\n%s", p.errb.String())
		}
	})
	select {
	case addr := <-ready:
		p.url = &url.URL{Scheme: "http", Host: addr}
	case code := <-p.exit:
		p.exit <- code
		t.Fatalf("serve exited %d: %s", code, p.errb.String())
	case <-time.After(60 * time.Second):
		t.Fatal("serve not ready within 60s")
	}
	return p
}

func (p *inProcess) stop(t *testing.T) {
	t.Helper()
	p.cancel()
	code := <-p.exit
	p.exit <- code
	if code != 0 {
		t.Fatalf("serve exited %d on stop: %s", code, p.errb.String())
	}
}

func newBrowser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 20 * time.Second}
}

// signInAtOP starts a sign-in at the site, fills in the OP's login form
// and returns the callback URL the OP sends the browser back to, without
// following it.
func signInAtOP(t *testing.T, c *http.Client, site string) string {
	t.Helper()
	var callback string
	stop := *c
	stop.CheckRedirect = func(r *http.Request, via []*http.Request) error {
		if strings.HasPrefix(r.URL.String(), site+"/auth/oidc/callback") {
			callback = r.URL.String()
			return http.ErrUseLastResponse
		}
		return nil
	}
	res, err := stop.Get(site + "/auth/oidc/start?return=" + url.QueryEscape("/?signed-in"))
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	doc, err := goquery.NewDocumentFromReader(res.Body)
	res.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	form := doc.Find(`form[method="POST"]`)
	action, _ := form.Attr("action")
	id, _ := form.Find(`input[name="id"]`).Attr("value")
	if res.StatusCode != 200 || action == "" || id == "" || form.Find(`input[name="password"]`).Length() != 1 {
		t.Fatalf("start did not lead to the OP's login form: %d at %s", res.StatusCode, res.Request.URL)
	}
	target := res.Request.URL.ResolveReference(&url.URL{Path: action})
	res, err = stop.PostForm(target.String(), url.Values{"id": {id}, "username": {"test-user@localhost"}, "password": {"verysecure"}})
	if err != nil {
		t.Fatalf("login form: %v", err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if callback == "" {
		t.Fatalf("the OP did not send the browser back to the site: %d at %s\n%s", res.StatusCode, res.Request.URL, body)
	}
	if q, _ := url.Parse(callback); q.Query().Get("code") == "" {
		t.Fatalf("callback without a code: %s", callback)
	}
	return callback
}

func finishSignIn(t *testing.T, c *http.Client, callback string) {
	t.Helper()
	m := *c
	m.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := m.Get(callback)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/?signed-in" {
		t.Fatalf("callback: %d to %q, want 303 to /?signed-in\n%s", res.StatusCode, res.Header.Get("Location"), body)
	}
	if got := meName(t, c, callback[:strings.Index(callback, "/auth/")]); got == "" {
		t.Fatal("not signed in after the callback")
	}
}

func meName(t *testing.T, c *http.Client, site string) string {
	t.Helper()
	res, err := c.Get(site + "/api/v1/me")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var me struct {
		Reader *struct {
			Name     string `json:"name"`
			Provider string `json:"provider"`
		} `json:"reader"`
	}
	if err := json.NewDecoder(res.Body).Decode(&me); err != nil {
		t.Fatalf("/api/v1/me: %v", err)
	}
	if me.Reader == nil {
		return ""
	}
	if me.Reader.Provider != "oidc" {
		t.Errorf("reader provider = %q, want oidc", me.Reader.Provider)
	}
	return me.Reader.Name
}

func postComment(t *testing.T, c *http.Client, site string) {
	t.Helper()
	res, err := c.Get(site + "/api/v1/articles?limit=1")
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	err = json.NewDecoder(res.Body).Decode(&list)
	res.Body.Close()
	if err != nil || len(list.Items) == 0 {
		t.Fatalf("article list: %v (%d items)", err, len(list.Items))
	}
	text := fmt.Sprintf("Signed in through a real provider at %d.", time.Now().UnixNano())
	payload, _ := json.Marshal(map[string]string{"body": text})
	u := fmt.Sprintf("%s/api/v1/articles/%d/comments", site, list.Items[0].ID)
	res, err = c.Post(u, "application/json", bytes.NewReader(payload))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("post comment: %d %s, want 201", res.StatusCode, body)
	}
	res, err = c.Get(fmt.Sprintf("%s/api/v1/articles/%d/comments", site, list.Items[0].ID))
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(body), text) {
		t.Errorf("the comment list lacks the posted comment:\n%s", body)
	}
}
