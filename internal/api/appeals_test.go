package api_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"byline/internal/auth"
	"byline/internal/config"
	"byline/internal/demo"
	"byline/internal/news"
	"byline/internal/server"
	"byline/internal/store/pgstore"
	"byline/internal/testutil"
)

// Ban and comment appeals through the Admin API, on both engines: every
// refusal (no token 401, a contributor's 403, the deciding moderator's
// own 403, unknown ids 404, bad bodies and queries 400, deciding twice
// 409) leaves the appeal open and the decision in force; a colleague's
// reversal restores the comment, an upheld ban stays.
//
//	eval "$(scripts/pg-test.sh)"; go test ./internal/api/ -run TestAdminAppeals

type appealOut struct {
	ID        int64      `json:"id"`
	Kind      string     `json:"kind"`
	Status    string     `json:"status"`
	Reason    string     `json:"reason"`
	ReaderID  int64      `json:"reader_id"`
	CommentID *int64     `json:"comment_id"`
	DecidedAt *time.Time `json:"decided_at"`
	Reviewer  string     `json:"reviewer"`
	Reply     string     `json:"reply"`
	OutcomeID string     `json:"outcome_id"`
	Decision  *struct {
		DecisionID string `json:"decision_id"`
		Action     string `json:"action"`
		Clause     string `json:"clause"`
		Actor      string `json:"actor"`
		Facts      string `json:"facts"`
	} `json:"decision"`
	Comment *struct {
		ID     int64  `json:"id"`
		Status string `json:"status"`
		Body   string `json:"body"`
	} `json:"comment"`
}

type appealList struct {
	Appeals    []appealOut `json:"appeals"`
	NextOffset *int        `json:"next_offset"`
}

func TestAdminAppeals(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		app := testutil.NewApp(t, testutil.WithDemo())
		testAdminAppeals(t, app, app.Store)
	})
	t.Run("postgres", func(t *testing.T) {
		app, st := pgApp(t)
		testAdminAppeals(t, app, st)
	})
}

// pgApp is the application in this process on a fresh schema of the
// shared test PostgreSQL, with the demo paper (App.Store, SQLite's, is
// nil: the store is returned).
func pgApp(t *testing.T) (*testutil.App, news.Store) {
	t.Helper()
	url := os.Getenv("BYLINE_TEST_POSTGRES")
	if url == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("BYLINE_TEST_POSTGRES is not set (eval \"$(scripts/pg-test.sh)\")")
		}
		t.Skip("BYLINE_TEST_POSTGRES is not set")
	}
	ctx := context.Background()
	pcfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "api_appeals_" + hex.EncodeToString(b)
	admin, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, `CREATE SCHEMA `+pgx.Identifier{schema}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), url)
		if err != nil {
			t.Errorf("drop schema: %v", err)
			return
		}
		defer c.Close(context.Background())
		c.Exec(context.Background(), `DROP SCHEMA `+pgx.Identifier{schema}.Sanitize()+` CASCADE`)
	})
	pcfg.ConnConfig.RuntimeParams["search_path"] = schema
	st, err := pgstore.OpenConfig(ctx, pcfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	dir := t.TempDir()
	cfg, err := config.Parse("serve", []string{"--data", dir, "--addr", "127.0.0.1:0", "--base-url", base}, func(string) string { return "" }, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.Load(ctx, st, demo.Options{MediaDir: cfg.MediaDir()}); err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(ctx, server.Deps{Config: cfg, Store: st, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = srv.Handler()
	ts.Start()
	t.Cleanup(func() { ts.Close(); srv.Close(); st.Close() })
	return &testutil.App{URL: base, Config: cfg, Server: srv, DataDir: dir, Now: time.Now(),
		Client: &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}, st
}

// tokenOn is tokenFor with the store given (an App on PostgreSQL).
func tokenOn(t *testing.T, app *testutil.App, st news.Store, email string, role news.Role) *adminClient {
	t.Helper()
	u, err := auth.CreateUser(context.Background(), st, email, "API "+string(role), role, "password-123")
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := auth.NewTokens(st).Create(context.Background(), u.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	return &adminClient{app: app, token: tok}
}

func testAdminAppeals(t *testing.T, app *testutil.App, st news.Store) {
	ctx := context.Background()
	first := tokenOn(t, app, st, "first@example.com", news.RoleEditor)
	second := tokenOn(t, app, st, "second@example.com", news.RoleEditor)
	writer := tokenOn(t, app, st, "writer@example.com", news.RoleContributor)
	nobody := &adminClient{app: app}

	// A reader's comment, removed by the first editor through the API,
	// and appealed; then the reader banned by the first editor, and the
	// ban appealed.
	page, err := st.ListArticles(ctx, news.ArticleQuery{Limit: 1})
	if err != nil || len(page.Articles) == 0 {
		t.Fatalf("no demo article: %v", err)
	}
	art := page.Articles[0]
	rd := news.Reader{Provider: "dev", Subject: "appellant", Name: "Appellant"}
	if err := st.UpsertReader(ctx, &rd); err != nil {
		t.Fatal(err)
	}
	c := news.Comment{ArticleID: art.ID, ReaderID: rd.ID, AuthorName: rd.Name, Body: "The council hid the figures.", Status: news.CommentApproved}
	if err := st.CreateComment(ctx, &c); err != nil {
		t.Fatal(err)
	}
	if code, e := first.call(t, "POST", "/api/v1/admin/comments/"+itoa(c.ID)+"/moderate", map[string]any{"action": "remove", "clause": "2"}, nil); code != 200 {
		t.Fatalf("remove: %d %+v", code, e)
	}
	ds, err := st.CommentDecisions(ctx, []int64{c.ID})
	if err != nil {
		t.Fatal(err)
	}
	removal := ds[c.ID]
	now := time.Now().UTC()
	appeal := func(d news.ModerationEntry, commentID int64) news.Appeal {
		t.Helper()
		a := news.Appeal{DecisionID: d.DecisionID, CommentID: commentID, ReaderID: rd.ID, Reason: "I reported what the minutes say.", CreatedAt: now}
		if err := st.CreateAppeal(ctx, &a, &news.ModerationEntry{Actor: "reader:" + itoa(rd.ID), Action: "appeal", CommentID: commentID, ReaderID: rd.ID,
			Clause: d.Clause, Note: "The writer appealed the decision.", Ref: d.DecisionID, CreatedAt: now}); err != nil {
			t.Fatal(err)
		}
		return a
	}
	ca := appeal(removal, c.ID)
	pol, err := st.CurrentPolicy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	until := now.Add(7 * 24 * time.Hour).Truncate(time.Millisecond)
	ban := &news.ModerationEntry{Actor: "first@example.com", Action: "ban", ReaderID: rd.ID, Clause: "2", Note: "Repeated insults.",
		DecisionID: "ban-" + hex.EncodeToString([]byte(t.Name()))[:12], PolicyVersion: pol.Version, CreatedAt: now}
	if err := st.DecideBan(ctx, rd.ID, until, false, time.Time{}, "2", ban); err != nil {
		t.Fatal(err)
	}
	ba := appeal(*ban, 0)

	path := func(id int64) string { return "/api/v1/admin/appeals/" + itoa(id) }
	stillOpen := func(what string, id int64) {
		t.Helper()
		a, err := st.AppealByID(ctx, id)
		if err != nil || a.Status != news.AppealOpen {
			t.Errorf("after %s appeal %d is %q (%v), want open", what, id, a.Status, err)
		}
	}

	// No token: 401; a contributor's: 403.
	for _, cl := range []struct {
		c    *adminClient
		want int
	}{{nobody, http.StatusUnauthorized}, {writer, http.StatusForbidden}} {
		if code, _ := cl.c.call(t, "GET", "/api/v1/admin/appeals", nil, nil); code != cl.want {
			t.Errorf("list: %d, want %d", code, cl.want)
		}
		if code, _ := cl.c.call(t, "GET", path(ca.ID), nil, nil); code != cl.want {
			t.Errorf("show: %d, want %d", code, cl.want)
		}
		if code, _ := cl.c.call(t, "POST", path(ca.ID)+"/decide", map[string]any{"outcome": "reversed", "reply": "A fair report."}, nil); code != cl.want {
			t.Errorf("decide: %d, want %d", code, cl.want)
		}
	}
	stillOpen("refused tokens", ca.ID)

	// Unknown ids: 404.
	for _, p := range []string{path(987654), "/api/v1/admin/appeals/abc", "/api/v1/admin/appeals/0"} {
		if code, _ := second.call(t, "GET", p, nil, nil); code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, code)
		}
	}
	if code, _ := second.call(t, "POST", path(987654)+"/decide", map[string]any{"outcome": "upheld", "reply": "Stands."}, nil); code != http.StatusNotFound {
		t.Errorf("deciding an unknown appeal: %d, want 404", code)
	}

	// Bad bodies and queries: 400, nothing decided.
	for name, body := range map[string]any{
		"not JSON":      "outcome=reversed",
		"empty":         "",
		"unknown field": map[string]any{"outcome": "reversed", "reply": "Fine.", "force": true},
		"wrong type":    map[string]any{"outcome": 1, "reply": "Fine."},
		"no outcome":    map[string]any{"reply": "Fine."},
		"bad outcome":   map[string]any{"outcome": "maybe", "reply": "Fine."},
		"no reply":      map[string]any{"outcome": "reversed"},
		"blank reply":   map[string]any{"outcome": "reversed", "reply": "   "},
		"long reply":    map[string]any{"outcome": "reversed", "reply": strings.Repeat("a", 2001)},
	} {
		if code, e := second.call(t, "POST", path(ca.ID)+"/decide", body, nil); code != http.StatusBadRequest {
			t.Errorf("%s: %d %+v, want 400", name, code, e)
		}
	}
	for _, q := range []string{"?status=closed", "?limit=0", "?limit=101", "?limit=x", "?offset=-1"} {
		if code, _ := second.call(t, "GET", "/api/v1/admin/appeals"+q, nil, nil); code != http.StatusBadRequest {
			t.Errorf("list%s: %d, want 400", q, code)
		}
	}
	// The moderator who decided may not review it.
	if code, e := first.call(t, "POST", path(ca.ID)+"/decide", map[string]any{"outcome": "upheld", "reply": "I stand by it."}, nil); code != http.StatusForbidden {
		t.Errorf("own decision: %d %+v, want 403", code, e)
	}
	stillOpen("the refused bodies", ca.ID)
	if got, _ := st.CommentByID(ctx, c.ID); got.Status != news.CommentRemoved {
		t.Errorf("after the refusals the comment is %s, want removed", got.Status)
	}

	// The open appeals, oldest first, with what they contest.
	var list appealList
	if code, e := second.call(t, "GET", "/api/v1/admin/appeals", nil, &list); code != 200 {
		t.Fatalf("list: %d %+v", code, e)
	}
	if len(list.Appeals) != 2 || list.NextOffset != nil {
		t.Fatalf("open appeals = %+v, want 2", list)
	}
	got := list.Appeals[0]
	if got.ID != ca.ID || got.Kind != "comment" || got.Status != "open" || got.CommentID == nil || *got.CommentID != c.ID || got.ReaderID != rd.ID ||
		got.Decision == nil || got.Decision.DecisionID != removal.DecisionID || got.Decision.Action != "remove" || got.Decision.Actor != "first@example.com" ||
		got.Comment == nil || got.Comment.Body != c.Body || got.Comment.Status != "removed" || got.DecidedAt != nil {
		t.Errorf("comment appeal = %+v", got)
	}
	got = list.Appeals[1]
	if got.ID != ba.ID || got.Kind != "ban" || got.CommentID != nil || got.Comment != nil || got.Decision == nil || got.Decision.Action != "ban" || got.Decision.Facts != "Repeated insults." {
		t.Errorf("ban appeal = %+v", got)
	}
	var one appealOut
	if code, _ := second.call(t, "GET", path(ba.ID), nil, &one); code != 200 || one.ID != ba.ID || one.Kind != "ban" || one.Reason != "I reported what the minutes say." {
		t.Errorf("show ban appeal: %d %+v", code, one)
	}

	// A colleague reverses the removal: the comment is back; twice is 409.
	if code, e := second.call(t, "POST", path(ca.ID)+"/decide", map[string]any{"outcome": "reversed", "reply": "Quoting the minutes is fair."}, &one); code != 200 {
		t.Fatalf("reverse: %d %+v", code, e)
	}
	if one.Status != "reversed" || one.Reviewer != "second@example.com" || one.Reply != "Quoting the minutes is fair." || one.OutcomeID == "" || one.DecidedAt == nil {
		t.Errorf("reversed appeal = %+v", one)
	}
	if got, _ := st.CommentByID(ctx, c.ID); got.Status != news.CommentApproved {
		t.Errorf("after the reversal the comment is %s, want approved", got.Status)
	}
	if d, err := st.DecisionByID(ctx, one.OutcomeID); err != nil || d.Action != "reverse" || d.Ref != removal.DecisionID {
		t.Errorf("the review's decision = %+v (%v), want a reverse of %s", d, err, removal.DecisionID)
	}
	if code, _ := second.call(t, "POST", path(ca.ID)+"/decide", map[string]any{"outcome": "upheld", "reply": "On second thoughts."}, nil); code != http.StatusConflict {
		t.Errorf("deciding twice: %d, want 409", code)
	}
	if a, _ := st.AppealByID(ctx, ca.ID); a.Status != news.AppealReversed {
		t.Errorf("after deciding twice the appeal is %s, want reversed", a.Status)
	}

	// The ban is upheld: it stays.
	if code, e := second.call(t, "POST", path(ba.ID)+"/decide", map[string]any{"outcome": "upheld", "reply": "The insults were repeated."}, &one); code != 200 || one.Status != "upheld" {
		t.Fatalf("uphold: %d %+v %+v", code, e, one)
	}
	if r, _ := st.ReaderByID(ctx, rd.ID); !r.BannedUntil.Equal(until) {
		t.Errorf("after the upheld appeal the reader is banned until %v, want %v", r.BannedUntil, until)
	}

	// Nothing open now; all of them, a page at a time.
	list = appealList{}
	if second.call(t, "GET", "/api/v1/admin/appeals", nil, &list); len(list.Appeals) != 0 {
		t.Errorf("open appeals after both decisions: %+v", list.Appeals)
	}
	list = appealList{}
	if second.call(t, "GET", "/api/v1/admin/appeals?status=all&limit=1", nil, &list); len(list.Appeals) != 1 || list.Appeals[0].ID != ca.ID || list.NextOffset == nil || *list.NextOffset != 1 {
		t.Errorf("first page of all = %+v, want the comment appeal and next_offset 1", list)
	}
	list = appealList{}
	if second.call(t, "GET", "/api/v1/admin/appeals?status=upheld", nil, &list); len(list.Appeals) != 1 || list.Appeals[0].ID != ba.ID {
		t.Errorf("upheld appeals = %+v, want the ban's", list)
	}
}
