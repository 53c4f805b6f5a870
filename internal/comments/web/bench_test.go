package web_test

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"byline/internal/news"
	"byline/internal/readerauth"
)

// BenchmarkCommentPost posts comments through the real HTTP handler on
// SQLite, from many readers at once. Each reader posts at most the
// per-reader burst (5), so the per-reader rate limit stays on; the
// per-address limit is off because every request comes from 127.0.0.1.
// It reports comments/s and latency percentiles.
//
//	go test ./internal/comments/web -run '^$' -bench CommentPost -benchtime 10000x
func BenchmarkCommentPost(b *testing.B) { benchPost(b, false) }

// BenchmarkCommentPostHandler is the same without the network: requests
// go straight to the server's http.Handler (middleware, routing, API,
// rules, SQLite), so the client does not compete for the CPUs.
func BenchmarkCommentPostHandler(b *testing.B) { benchPost(b, true) }

func benchPost(b *testing.B, direct bool) {
	app := newApp(b, func(s *news.CommentSettings) { s.PerIPPerMinute = 0 })
	handler := app.Server.Handler()
	ctx := b.Context()
	p, err := app.Store.ListArticles(ctx, news.ArticleQuery{Limit: 8})
	if err != nil || len(p.Articles) == 0 {
		b.Fatal(err)
	}
	const perReader = 5
	nReaders := b.N/perReader + 1
	tokens := make([]string, nReaders)
	for i := range tokens {
		r := news.Reader{Provider: "bench", Subject: fmt.Sprint(i), Name: fmt.Sprintf("Reader %d", i)}
		if err := app.Store.UpsertReader(ctx, &r); err != nil {
			b.Fatal(err)
		}
		raw := make([]byte, 32)
		rand.Read(raw)
		tokens[i] = base64.RawURLEncoding.EncodeToString(raw)
		sum := sha256.Sum256([]byte(tokens[i]))
		if err := app.Store.CreateReaderSession(ctx, hex.EncodeToString(sum[:]), r.ID, time.Now().Add(time.Hour)); err != nil {
			b.Fatal(err)
		}
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	var next atomic.Int64
	var mu sync.Mutex
	lat := make([]time.Duration, 0, b.N)
	var fails atomic.Int64
	b.SetParallelism(benchParallelism)
	cpu0 := cpuTime()
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		local := make([]time.Duration, 0, 1024)
		for pb.Next() {
			i := next.Add(1) - 1
			art := p.Articles[int(i)%len(p.Articles)]
			body := fmt.Sprintf(`{"body":"Comment number %d: 좋은 기사 👍🏽","parent_id":null}`, i)
			req, _ := http.NewRequest("POST", app.URL+"/api/v1/articles/"+fmt.Sprint(art.ID)+"/comments", bytes.NewReader([]byte(body)))
			req.Header.Set("Content-Type", "application/json")
			req.AddCookie(&http.Cookie{Name: readerauth.SessionCookie, Value: tokens[int(i)/perReader]})
			t0 := time.Now()
			var res *http.Response
			var err error
			if direct {
				req.RemoteAddr = "127.0.0.1:1234"
				rec := httptest.NewRecorder()
				handler.ServeHTTP(rec, req)
				res = rec.Result()
			} else {
				res, err = client.Do(req)
			}
			d := time.Since(t0)
			if err != nil {
				fails.Add(1)
				continue
			}
			res.Body.Close()
			if res.StatusCode != http.StatusCreated {
				fails.Add(1)
			}
			local = append(local, d)
		}
		mu.Lock()
		lat = append(lat, local...)
		mu.Unlock()
	})
	elapsed := time.Since(start)
	b.StopTimer()
	// CPU time per comment does not depend on what else the machine
	// runs: cores / cpu-per-comment is the capacity of an idle machine.
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/comment")
	if n := fails.Load(); n > 0 {
		b.Fatalf("%d of %d posts failed", n, b.N)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(q float64) float64 {
		return float64(lat[min(len(lat)-1, int(q*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "comments/s")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	stored, _ := app.Store.ExportComments(ctx, 0)
	if len(stored) != b.N {
		b.Fatalf("stored %d comments, posted %d", len(stored), b.N)
	}
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchParallelism is goroutines per CPU posting at once.
var benchParallelism = 4
