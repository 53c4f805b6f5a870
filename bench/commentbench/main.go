// Command commentbench prepares and measures comment posting for
// bench/engines.sh:
//
//	commentbench seed --data DIR --comments 1000000 --readers 10000
//	commentbench post --url http://127.0.0.1:18080 --n 20000 --conns 32
//
// seed adds readers and comments to a SQLite archive in bulk (INSERT …
// SELECT, one transaction per 100,000 rows), gives the first --sessions
// readers a session whose cookie is "bench-session-N", and lifts the
// per-reader and per-address limits (a load test posts from one address
// with few readers). migrate-data then copies the same archive to
// PostgreSQL. post sends comments through the JSON API with those
// cookies and prints comments/s and latency percentiles. Loopback only.
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"byline/internal/news"
	"byline/internal/store/sqlitestore"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: commentbench seed|post [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "seed":
		err = seed(os.Args[2:])
	case "post":
		err = post(os.Args[2:])
	default:
		err = fmt.Errorf("unknown mode %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "commentbench:", err)
		os.Exit(1)
	}
}

func token(i int) string { return fmt.Sprintf("bench-session-%d", i) }

func seed(args []string) error {
	fs := flag.NewFlagSet("seed", flag.ExitOnError)
	data := fs.String("data", "", "data directory of the SQLite archive")
	n := fs.Int("comments", 1_000_000, "comments to add")
	readers := fs.Int("readers", 10_000, "readers to add")
	sessions := fs.Int("sessions", 1000, "readers given a session for post")
	fs.Parse(args)
	ctx := context.Background()
	st, err := sqlitestore.Open(ctx, filepath.Join(*data, "byline.db"))
	if err != nil {
		return err
	}
	defer st.Close()
	db := st.Writer()
	now := time.Now().UnixMilli()
	var maxArticle int64
	if err := db.QueryRowContext(ctx, `SELECT max(id) FROM articles WHERE status = 'published'`).Scan(&maxArticle); err != nil {
		return err
	}
	var firstReader int64
	db.QueryRowContext(ctx, `SELECT COALESCE(max(id), 0) FROM readers`).Scan(&firstReader)
	firstReader++
	start := time.Now()
	if _, err := db.ExecContext(ctx, `WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i + 1 < ?)
		INSERT INTO readers(provider, subject, name, created_at) SELECT 'bench', 'bench-' || (i + ?), 'Reader ' || (i + ?), ? FROM s`,
		*readers, firstReader, firstReader, now-400*24*3600*1000); err != nil {
		return fmt.Errorf("readers: %w", err)
	}
	for i := 0; i < *sessions && i < *readers; i++ {
		sum := sha256.Sum256([]byte(token(i)))
		if _, err := db.ExecContext(ctx, `INSERT INTO reader_sessions(token_hash, reader_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			hex.EncodeToString(sum[:]), firstReader+int64(i), now, now+30*24*3600*1000); err != nil {
			return fmt.Errorf("sessions: %w", err)
		}
	}
	// Published articles only (drafts take no comments): pick among them
	// by a row number.
	if _, err := db.ExecContext(ctx, `CREATE TEMP TABLE bench_articles AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM articles WHERE status = 'published' AND published_at <= ?`, now); err != nil {
		return err
	}
	var nArticles int64
	db.QueryRowContext(ctx, `SELECT count(*) FROM bench_articles`).Scan(&nArticles)
	const batch = 100_000
	for done := 0; done < *n; done += batch {
		m := min(batch, *n-done)
		if _, err := db.ExecContext(ctx, `WITH RECURSIVE s(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM s WHERE i + 1 < ?)
			INSERT INTO comments(article_id, reader_id, author_name, body, status, created_at)
			SELECT a.id, ? + (s.i * 7919) % ?, 'Reader ' || (? + (s.i * 7919) % ?),
			       'Bench comment ' || s.i || ': the council should publish the harbour survey before the vote.', 'approved', ? - s.i * 30000
			FROM s JOIN bench_articles a ON a.k = (s.i * 104729) % ?`,
			done, done+m, firstReader, *readers, firstReader, *readers, now, nArticles); err != nil {
			return fmt.Errorf("comments: %w", err)
		}
		fmt.Printf("%d comments…\n", done+m)
	}
	set := news.DefaultCommentSettings()
	set.PerReaderPerMinute, set.PerIPPerMinute, set.RepeatWindowMin, set.NewAccountMinutes = 0, 0, 0, 0
	if err := st.SaveCommentSettings(ctx, set); err != nil {
		return err
	}
	fmt.Printf("seeded %d readers (%d with sessions) and %d comments on %d articles (max id %d) in %s\n",
		*readers, *sessions, *n, nArticles, maxArticle, time.Since(start).Round(time.Millisecond))
	return nil
}

func post(args []string) error {
	fs := flag.NewFlagSet("post", flag.ExitOnError)
	base := fs.String("url", "http://127.0.0.1:18080", "server")
	n := fs.Int("n", 20000, "comments to post")
	conns := fs.Int("conns", 32, "concurrent connections")
	sessions := fs.Int("sessions", 1000, "reader sessions to use (seeded)")
	fs.Parse(args)
	if !strings.HasPrefix(*base, "http://127.0.0.1") && !strings.HasPrefix(*base, "http://localhost") {
		return fmt.Errorf("post only against a loopback server")
	}
	// Visible articles from the Content API.
	res, err := http.Get(*base + "/api/v1/articles?limit=100")
	if err != nil {
		return err
	}
	var list struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	json.NewDecoder(res.Body).Decode(&list)
	res.Body.Close()
	var ids []int64
	for _, a := range list.Items {
		ids = append(ids, a.ID)
	}
	if len(ids) == 0 {
		return fmt.Errorf("no visible articles at %s/api/v1/articles", *base)
	}
	tr := &http.Transport{MaxIdleConnsPerHost: *conns, MaxConnsPerHost: *conns}
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	var next atomic.Int64
	lat := make([][]time.Duration, *conns)
	codes := make([]map[int]int, *conns)
	run := fmt.Sprint(time.Now().UnixNano())
	var wg sync.WaitGroup
	start := time.Now()
	for w := range *conns {
		codes[w] = map[int]int{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= *n {
					return
				}
				body, _ := json.Marshal(map[string]string{"body": fmt.Sprintf("Load comment %s-%d: a reader's view on the harbour vote.", run, i)})
				req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/articles/%d/comments", *base, ids[i%len(ids)]), bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.AddCookie(&http.Cookie{Name: "byline_reader", Value: token(i % *sessions)})
				t0 := time.Now()
				res, err := client.Do(req)
				d := time.Since(t0)
				if err != nil {
					codes[w][-1]++
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				codes[w][res.StatusCode]++
				lat[w] = append(lat[w], d)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all []time.Duration
	total := map[int]int{}
	for w := range lat {
		all = append(all, lat[w]...)
		for c, k := range codes[w] {
			total[c] += k
		}
	}
	slices.Sort(all)
	pct := func(p float64) time.Duration {
		if len(all) == 0 {
			return 0
		}
		return all[min(len(all)-1, int(float64(len(all))*p))]
	}
	fmt.Printf("posted %d comments with %d connections in %s: %.0f comments/s, p50 %s, p90 %s, p99 %s, max %s; status %v\n",
		*n, *conns, elapsed.Round(time.Millisecond), float64(total[201])/elapsed.Seconds(),
		pct(.50).Round(10*time.Microsecond), pct(.90).Round(10*time.Microsecond), pct(.99).Round(10*time.Microsecond), pct(1).Round(10*time.Microsecond), total)
	return nil
}
