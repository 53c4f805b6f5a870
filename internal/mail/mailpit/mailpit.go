// Package mailpit starts a real mail server for tests: mailpit, an SMTP
// server that keeps what it receives and shows it through an HTTP API,
// as its own process on 127.0.0.1 with its database in a temporary
// directory. Build it with
//
//	eval "$(scripts/test-mail.sh)"   # sets BYLINE_TEST_MAILPIT
//
// Without it tests skip, saying so; under CI=true they fail.
package mailpit

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Server is a running mailpit.
type Server struct {
	SMTP string // 127.0.0.1:PORT
	API  string // http://127.0.0.1:PORT
	// Args are extra mailpit flags (STARTTLS certificates, auth), set
	// before Start's first run by StartWith.
	args     []string
	bin, dir string
	cmd      *exec.Cmd
	done     chan struct{}
	log      *strings.Builder
}

// Binary is the mailpit binary named by BYLINE_TEST_MAILPIT; it skips
// (fails under CI=true) when there is none.
func Binary(t testing.TB) string {
	t.Helper()
	bin := os.Getenv("BYLINE_TEST_MAILPIT")
	if bin == "" {
		msg := "BYLINE_TEST_MAILPIT is not set: build the real mail server with eval \"$(scripts/test-mail.sh)\""
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return bin
}

func freeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// Start runs mailpit on free ports; it stops with the test.
func Start(t testing.TB, args ...string) *Server {
	t.Helper()
	s := &Server{bin: Binary(t), dir: t.TempDir(), args: args}
	s.SMTP = freeAddr(t)
	s.API = "http://" + freeAddr(t)
	s.start(t)
	t.Cleanup(s.Stop)
	return s
}

// Addresses reserves the ports without starting the server (a test of
// an outage starts it later with Restart).
func Addresses(t testing.TB, args ...string) *Server {
	t.Helper()
	s := &Server{bin: Binary(t), dir: t.TempDir(), args: args}
	s.SMTP = freeAddr(t)
	s.API = "http://" + freeAddr(t)
	t.Cleanup(s.Stop)
	return s
}

func (s *Server) start(t testing.TB) {
	t.Helper()
	s.log = new(strings.Builder)
	args := append([]string{"--smtp", s.SMTP, "--listen", strings.TrimPrefix(s.API, "http://"),
		"--database", filepath.Join(s.dir, "mailpit.db"), "--disable-version-check", "--smtp-disable-rdns", "--quiet"}, s.args...)
	s.cmd = exec.Command(s.bin, args...)
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("start mailpit: %v", err)
	}
	s.done = make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(s.done) }()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if res, err := http.Get(s.API + "/api/v1/info"); err == nil {
			res.Body.Close()
			if c, err := net.DialTimeout("tcp", s.SMTP, 200*time.Millisecond); err == nil && res.StatusCode == 200 {
				c.Close()
				return
			}
		}
		select {
		case <-s.done:
			t.Fatalf("mailpit exited: %s", s.log.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailpit did not listen on %s and %s within 20 s: %s", s.SMTP, s.API, s.log.String())
		}
		time.Sleep(20 * time.Millisecond) // polling for the ports, with a deadline
	}
}

// Stop kills the server (as an outage would) and waits.
func (s *Server) Stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	select {
	case <-s.done:
		return
	default:
	}
	_ = s.cmd.Process.Kill()
	<-s.done
}

// Restart starts the server (again) on the same ports and database.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.Stop()
	s.start(t)
}

// Address is a mailbox as the API shows it.
type Address struct {
	Name    string
	Address string
}

// Summary is a message in the list.
type Summary struct {
	ID        string
	MessageID string
	From      Address
	To        []Address
	Subject   string
}

// Message is one message with its text.
type Message struct {
	Summary
	Text string
	Raw  string
}

func (s *Server) get(t testing.TB, path string, v any) []byte {
	t.Helper()
	res, err := http.Get(s.API + path)
	if err != nil {
		t.Fatalf("mailpit %s: %v", path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("mailpit %s: %d %s", path, res.StatusCode, b)
	}
	if v != nil {
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("mailpit %s: %v in %s", path, err, b)
		}
	}
	return b
}

// Messages lists what the server received, newest first.
func (s *Server) Messages(t testing.TB) []Summary {
	t.Helper()
	var out struct{ Messages []Summary }
	s.get(t, "/api/v1/messages?limit=500", &out)
	return out.Messages
}

// Message loads one message with its text body and raw source.
func (s *Server) Message(t testing.TB, id string) Message {
	t.Helper()
	var m Message
	s.get(t, "/api/v1/message/"+id, &m)
	m.Raw = string(s.get(t, "/api/v1/message/"+id+"/raw", nil))
	return m
}

// WaitFor polls until a message to the address arrives (or the deadline
// passes) and returns it.
func (s *Server) WaitFor(t testing.TB, to string, within time.Duration) Message {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		for _, m := range s.Messages(t) {
			for _, a := range m.To {
				if strings.EqualFold(a.Address, to) {
					return s.Message(t, m.ID)
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no message to %s within %v (received: %v)", to, within, s.Messages(t))
		}
		time.Sleep(50 * time.Millisecond) // polling the API, with a deadline
	}
}

// Count is how many messages the server holds.
func (s *Server) Count(t testing.TB) int { return len(s.Messages(t)) }

func (m Summary) String() string { return fmt.Sprintf("%s to %v", m.Subject, m.To) }
