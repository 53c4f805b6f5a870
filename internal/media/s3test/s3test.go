// Package s3test starts a real S3 server for tests: versitygw, an S3
// gateway over a POSIX directory, as its own process on 127.0.0.1 with
// its files in a temporary directory. Build it with
//
//	eval "$(scripts/test-s3.sh)"   # sets BYLINE_TEST_VERSITYGW
//
// Without it tests skip, saying so; under CI=true they fail.
package s3test

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// Server is a running versitygw.
type Server struct {
	Endpoint  string // http://127.0.0.1:PORT
	AccessKey string
	SecretKey string
	Bucket    string // created empty
	bin, dir  string
	addr      string
	cmd       *exec.Cmd
	done      chan struct{}
}

// Binary is the versitygw binary named by BYLINE_TEST_VERSITYGW; it
// skips (fails under CI=true) when there is none.
func Binary(t testing.TB) string {
	t.Helper()
	bin := os.Getenv("BYLINE_TEST_VERSITYGW")
	if bin == "" {
		msg := "BYLINE_TEST_VERSITYGW is not set: build the real S3 server with eval \"$(scripts/test-s3.sh)\""
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return bin
}

// Start runs versitygw with a new empty bucket; it stops with the test.
func Start(t testing.TB) *Server {
	t.Helper()
	s := &Server{bin: Binary(t), dir: t.TempDir(), AccessKey: "bylinetest", SecretKey: "bylinetestsecret", Bucket: "media"}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = l.Addr().String()
	l.Close()
	s.Endpoint = "http://" + s.addr
	s.start(t)
	t.Cleanup(s.Stop)
	c := s.Client(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := c.MakeBucket(ctx, s.Bucket, minio.MakeBucketOptions{}); err != nil {
		t.Fatalf("make bucket: %v", err)
	}
	return s
}

func (s *Server) start(t testing.TB) {
	t.Helper()
	var log strings.Builder
	s.cmd = exec.Command(s.bin, "--access", s.AccessKey, "--secret", s.SecretKey, "--port", s.addr, "posix", s.dir)
	s.cmd.Stdout, s.cmd.Stderr = &log, &log
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("start versitygw: %v", err)
	}
	s.done = make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(s.done) }()
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", s.addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return
		}
		select {
		case <-s.done:
			t.Fatalf("versitygw exited: %s", log.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("versitygw did not listen on %s within 20 s: %s", s.addr, log.String())
		}
		time.Sleep(20 * time.Millisecond) // polling for the port, with a deadline
	}
}

// Stop kills the server (as a crash or an outage would) and waits.
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

// Restart starts a stopped server again on the same address and files.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.Stop()
	s.start(t)
}

// Client is a client for the server.
func (s *Server) Client(t testing.TB) *minio.Client {
	t.Helper()
	c, err := minio.New(s.addr, &minio.Options{Creds: credentials.NewStaticV4(s.AccessKey, s.SecretKey, ""), BucketLookup: minio.BucketLookupPath, Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Files lists the objects stored on disk under the bucket (what a
// half-finished upload would leave behind included), as slash paths.
func (s *Server) Files(t testing.TB) []string {
	t.Helper()
	var out []string
	root := filepath.Join(s.dir, s.Bucket)
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(root, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Args are the serve flags that put a Byline server's media in the bucket
// under prefix.
func (s *Server) Args(prefix string) []string {
	return []string{"--media-store", fmt.Sprintf("s3://%s/%s", s.Bucket, prefix), "--s3-endpoint", s.Endpoint,
		"--s3-path-style", "--s3-region", "us-east-1", "--s3-access-key", s.AccessKey, "--s3-secret-key", s.SecretKey}
}
