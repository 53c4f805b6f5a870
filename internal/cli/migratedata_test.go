package cli_test

import (
	"context"
	"database/sql"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"byline/internal/cli"
	"byline/internal/news"
	"byline/internal/store/pgstore"
	"byline/internal/store/sqlitestore"

	"github.com/PuerkitoBio/goquery"
)

func TestMigrateDataToPostgres(t *testing.T) {
	pgURL := freshDatabase(t, "md")
	ctx := context.Background()
	dir := t.TempDir()
	data := "--data=" + dir
	if r := run(t, nil, "demo", data, "--articles", "20"); r.code != 0 {
		t.Fatalf("demo: %d %s", r.code, r.stderr)
	}
	if r := runIn(t, "correct horse\n", "user", "add", data, "--email", "ed@example.com", "--name", "Ed", "--role", "editor"); r.code != 0 {
		t.Fatalf("user add: %s", r.stderr)
	}
	r := runIn(t, "", "token", "create", data, "--email", "ed@example.com", "--name", "ci")
	if r.code != 0 {
		t.Fatalf("token create: %s", r.stderr)
	}
	// Readers, a session, comments with a reply and a held one, a media
	// record (JSON renditions), through the SQLite store.
	src, err := sqlitestore.Open(ctx, filepath.Join(dir, "byline.db"))
	if err != nil {
		t.Fatal(err)
	}
	page, err := src.ListArticles(ctx, news.ArticleQuery{Limit: 1})
	if err != nil || len(page.Articles) == 0 {
		t.Fatalf("no visible article: %v", err)
	}
	a := page.Articles[0]
	rd := news.Reader{Provider: "dev", Subject: "ann", Name: "Ann"}
	if err := src.UpsertReader(ctx, &rd); err != nil {
		t.Fatal(err)
	}
	if err := src.CreateReaderSession(ctx, "tokenhash", rd.ID, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	top := news.Comment{ArticleID: a.ID, ReaderID: rd.ID, AuthorName: "Ann", Body: "First 첫 댓글", Status: news.CommentApproved, CreatedAt: now}
	if err := src.CreateComment(ctx, &top); err != nil {
		t.Fatal(err)
	}
	reply := news.Comment{ArticleID: a.ID, ParentID: top.ID, ReaderID: rd.ID, AuthorName: "Ann", ReplyTo: "Ann", Body: "A reply", Status: news.CommentApproved, CreatedAt: now}
	held := news.Comment{ArticleID: a.ID, ReaderID: rd.ID, AuthorName: "Ann", Body: "Held", Status: news.CommentPending, Shadow: true, CreatedAt: now}
	for _, c := range []*news.Comment{&reply, &held} {
		if err := src.CreateComment(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	m := news.Media{Path: "2026/01/x.jpg", MIME: "image/jpeg", Width: 800, Height: 600, Bytes: 1234, Alt: "A harbour", CreatedAt: now,
		Renditions: []news.Rendition{{Path: "2026/01/x-400.jpg", Width: 400, Height: 300, Bytes: 300}}}
	if err := src.CreateMedia(ctx, &m); err != nil {
		t.Fatal(err)
	}
	wantArticles, _ := src.CountArticles(ctx)
	src.Close()

	from := "sqlite:" + filepath.Join(dir, "byline.db")
	r = run(t, nil, "migrate-data", "--from", from, "--to", pgURL)
	if r.code != 0 || !strings.Contains(r.stdout, "row counts match") {
		t.Fatalf("migrate-data: exit %d\nstdout %s\nstderr %s", r.code, r.stdout, r.stderr)
	}
	for _, table := range []string{"articles", "comments", "readers", "staff_users", "api_tokens", "media", "revisions", "sections"} {
		if !strings.Contains(r.stdout, table) {
			t.Errorf("the count table does not list %s:\n%s", table, r.stdout)
		}
	}
	// A second copy is refused: the target is not empty any more.
	r2 := run(t, nil, "migrate-data", "--from", from, "--to", pgURL)
	if r2.code == 0 || !strings.Contains(r2.stderr, "not empty") {
		t.Errorf("second migrate-data: exit %d, stderr %q; want a refusal", r2.code, r2.stderr)
	}
	for _, bad := range [][]string{
		{"--from", filepath.Join(dir, "byline.db"), "--to", pgURL},
		{"--from", "sqlite:" + filepath.Join(dir, "nope.db"), "--to", pgURL},
		{"--from", from, "--to", "mysql://x"},
	} {
		if r := run(t, nil, append([]string{"migrate-data"}, bad...)...); r.code == 0 {
			t.Errorf("migrate-data %v: exit 0", bad)
		}
	}

	if r := run(t, nil, "migrate", "--database", pgURL); r.code != 0 || !strings.Contains(r.stdout, "PostgreSQL database is at migration") {
		t.Errorf("migrate on PostgreSQL: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if r := run(t, nil, "backup", "--database", pgURL, "--data", t.TempDir()); r.code == 0 || !strings.Contains(r.stderr, "pg_dump") {
		t.Errorf("backup on PostgreSQL: exit %d, stderr %q; want a pointer to pg_dump", r.code, r.stderr)
	}
	dst, err := pgstore.Open(ctx, pgURL)
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	if n, _ := dst.CountArticles(ctx); n != wantArticles {
		t.Errorf("articles in PostgreSQL: got %d, want %d", n, wantArticles)
	}
	got, err := dst.ArticleByID(ctx, a.ID)
	if err != nil || got.Headline != a.Headline || !got.PublishedAt.Equal(a.PublishedAt) {
		t.Errorf("article %d in PostgreSQL: %q %v (%v), want %q %v", a.ID, got.Headline, got.PublishedAt, err, a.Headline, a.PublishedAt)
	}
	// Search reads article_search, which the copy fills by trigger.
	if res, err := dst.Search(ctx, news.SearchQuery{Text: a.Headline, Limit: 100}); err != nil || !slices.ContainsFunc(res.Hits, func(h news.SearchHit) bool { return h.Article.ID == a.ID }) {
		t.Errorf("search %q in PostgreSQL after the copy: %d hits (%v), want article %d among them", a.Headline, len(res.Hits), err, a.ID)
	}
	if rr, err := dst.ReaderBySession(ctx, "tokenhash", time.Now()); err != nil || rr.ID != rd.ID {
		t.Errorf("reader session in PostgreSQL: %+v, %v", rr, err)
	}
	gc, err := dst.CommentByID(ctx, reply.ID)
	if err != nil || gc.ParentID != top.ID || gc.Body != "A reply" {
		t.Errorf("reply in PostgreSQL: %+v, %v", gc, err)
	}
	gh, err := dst.CommentByID(ctx, held.ID)
	if err != nil || gh.Status != news.CommentPending || !gh.Shadow {
		t.Errorf("held comment in PostgreSQL: %+v, %v", gh, err)
	}
	gm, err := dst.MediaByID(ctx, m.ID)
	if err != nil || len(gm.Renditions) != 1 || gm.Renditions[0].Width != 400 || gm.Alt != "A harbour" {
		t.Errorf("media in PostgreSQL: %+v, %v", gm, err)
	}
	// New rows get fresh ids (the sequences moved past the copied ones).
	c2 := news.Comment{ArticleID: a.ID, ReaderID: rd.ID, AuthorName: "Ann", Body: "After the move", Status: news.CommentApproved, CreatedAt: now}
	if err := dst.CreateComment(ctx, &c2); err != nil || c2.ID <= held.ID {
		t.Errorf("new comment after the copy: id %d (%v), want > %d", c2.ID, err, held.ID)
	}

	// The spelling vocabulary is the source's (its triggers are off
	// during the copy, which replaces the table), and the triggers are on
	// again: a newly published article's words enter it.
	srcDB, err := sql.Open("sqlite", filepath.Join(dir, "byline.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer srcDB.Close()
	var sn, ssum, dn, dsum int64
	if err := srcDB.QueryRowContext(ctx, `SELECT count(*), COALESCE(sum(n), 0) FROM search_words`).Scan(&sn, &ssum); err != nil {
		t.Fatal(err)
	}
	if err := dst.Pool().QueryRow(ctx, `SELECT count(*), COALESCE(sum(n), 0) FROM search_words`).Scan(&dn, &dsum); err != nil {
		t.Fatal(err)
	}
	if sn == 0 || dn != sn || dsum != ssum {
		t.Errorf("search_words after the copy: %d words, counts summing to %d; the source has %d, %d", dn, dsum, sn, ssum)
	}
	fresh1 := news.Article{Slug: "after-the-move", SectionID: a.SectionID, Headline: "Zephyrwort festival opens", Body: "<p>Zephyrwort.</p>", BodyText: "Zephyrwort.",
		Status: news.StatusPublished, PublishedAt: now, UpdatedAt: now, ModifiedAt: now}
	if err := dst.CreateArticle(ctx, &fresh1); err != nil {
		t.Fatal(err)
	}
	var zn int64
	if err := dst.Pool().QueryRow(ctx, `SELECT count(*) FROM search_words WHERE word = 'zephyrwort'`).Scan(&zn); err != nil || zn != 1 {
		t.Errorf("a word of an article published after the copy in search_words: %d rows (%v), want 1 (its trigger is back on)", zn, err)
	}

	// Every index the migrations make is there again after the copy
	// (migrate-data drops them for the copy and rebuilds them).
	fresh, err := pgstore.Open(ctx, freshDatabase(t, "mdidx"))
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	indexes := func(s *pgstore.Store) string {
		rows, err := s.Pool().Query(ctx, `SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var d string
			rows.Scan(&d)
			out = append(out, d)
		}
		return strings.Join(out, "\n")
	}
	if got, want := indexes(dst), indexes(fresh); got != want {
		t.Errorf("indexes after migrate-data:\n%s\nwant:\n%s", got, want)
	}

	// The same article renders the same from both engines.
	sqliteH1 := headlineServed(t, []string{"--data", dir}, a.URL())
	pgH1 := headlineServed(t, []string{"--data", t.TempDir(), "--database", pgURL}, a.URL())
	if sqliteH1 == "" || sqliteH1 != pgH1 {
		t.Errorf("article headline: SQLite %q, PostgreSQL %q", sqliteH1, pgH1)
	}
}

// headlineServed starts byline serve with args, fetches path and returns
// the page's h1.
func headlineServed(t *testing.T, args []string, path string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	exit := make(chan int, 1)
	var errb syncBuffer
	go func() {
		exit <- cli.Run(ctx, cli.Env{Args: append([]string{"serve", "--addr", "127.0.0.1:0"}, args...),
			Getenv: func(string) string { return "" }, Stdout: io.Discard, Stderr: &errb,
			Ready: func(addr string) { ready <- addr }})
	}()
	var h1 string
	select {
	case addr := <-ready:
		res, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := goquery.NewDocumentFromReader(res.Body)
		res.Body.Close()
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("GET %s: %d %v", path, res.StatusCode, err)
		}
		h1 = strings.TrimSpace(doc.Find("h1").First().Text())
	case code := <-exit:
		t.Fatalf("serve exited %d: %s", code, errb.String())
	case <-time.After(60 * time.Second):
		t.Fatal("not ready within 60s")
	}
	cancel()
	<-exit
	return h1
}
