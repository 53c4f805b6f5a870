package pgstore

import (
	"context"
	"testing"
	"time"

	"byline/internal/news"

	"github.com/jackc/pgx/v5"
)

// TestAtomicPlansFollowSchemaChanges: the comment writes keep their
// statements prepared on each connection (Store.atomic). When a migration
// run by another server changes the type of a column one of them reads,
// PostgreSQL refuses the old plan ("cached plan must not change result
// type"); the connection forgets the statements then, so only that one
// call fails and the next prepares them again.
func TestAtomicPlansFollowSchemaChanges(t *testing.T) {
	ctx := context.Background()
	cfg := freshSchema(t, "byline_plans")
	cfg.MaxConns = 1 // the one connection that keeps the plans
	s, err := OpenConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	a, r, top := topComment(t, s)
	reply := func(body string) error {
		c := news.Comment{ArticleID: a.ID, ParentID: top.ID, ReaderID: r.ID, AuthorName: r.Name, Body: body, Status: news.CommentApproved}
		return s.CreateComment(ctx, &c)
	}
	if err := reply("Before."); err != nil {
		t.Fatal(err)
	}
	// The reply's parent check reads article_id: bigint becomes integer.
	if _, err := s.Pool().Exec(ctx, `ALTER TABLE comments ALTER COLUMN article_id TYPE integer`); err != nil {
		t.Fatal(err)
	}
	err = reply("Refused by the old plan.")
	if c, _ := pgCode(err); c != featureNotSupported {
		t.Fatalf("reply after the change: %v, want the old plan refused (%s), not taken for a missing parent", err, featureNotSupported)
	}
	if err := reply("After."); err != nil {
		t.Fatalf("the next reply: %v, want it stored (the statements prepared again)", err)
	}
	got, err := s.CommentByID(ctx, top.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ReplyCount != 2 {
		t.Errorf("reply_count = %d, want 2 (before and after the change; the refused reply not counted)", got.ReplyCount)
	}
}

// With default_query_exec_mode=exec (PgBouncer in transaction mode,
// docs/scaling.md) no write leaves a prepared statement on its
// connection: the comment writes take the transaction path, which
// honours the mode. With the default mode they keep their plans.
func TestAtomicHonoursExecMode(t *testing.T) {
	ctx := context.Background()
	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeCacheStatement, pgx.QueryExecModeExec} {
		cfg := freshSchema(t, "byline_execmode")
		cfg.MaxConns = 1 // one connection: the one the writes used
		cfg.ConnConfig.DefaultQueryExecMode = mode
		s, err := OpenConfig(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		a, r, top := topComment(t, s)
		reply := news.Comment{ArticleID: a.ID, ParentID: top.ID, ReaderID: r.ID, AuthorName: r.Name, Body: "Reply.", Status: news.CommentApproved}
		if err := s.CreateComment(ctx, &reply); err != nil {
			t.Fatal(err)
		}
		if err := s.SetCommentStatus(ctx, reply.ID, news.CommentRejected, ""); err != nil {
			t.Fatal(err)
		}
		got, err := s.CommentByID(ctx, top.ID)
		if err != nil || got.ReplyCount != 0 {
			t.Errorf("mode %v: top comment %+v (%v), want no visible reply after the rejection", mode, got, err)
		}
		var kept int
		if err := s.Pool().QueryRow(ctx, `SELECT count(*) FROM pg_prepared_statements WHERE statement ILIKE '%comments%'`, pgx.QueryExecModeSimpleProtocol).Scan(&kept); err != nil {
			t.Fatal(err)
		}
		if mode == pgx.QueryExecModeExec && kept != 0 {
			t.Errorf("exec mode: %d comment statements kept prepared on the connection, want none", kept)
		}
		if mode == pgx.QueryExecModeCacheStatement && kept == 0 {
			t.Errorf("default mode: no comment statement kept prepared, want the writes' plans kept")
		}
		s.Close()
	}
}

// topComment makes a published article, a reader and the reader's
// approved top-level comment on it.
func topComment(t *testing.T, s *Store) (news.Article, news.Reader, news.Comment) {
	t.Helper()
	ctx := context.Background()
	sec := news.Section{Name: "Plans"}
	if err := s.CreateSection(ctx, &sec); err != nil {
		t.Fatal(err)
	}
	a := news.Article{SectionID: sec.ID, Headline: "Plans", Body: "T.", BodyText: "T.", Status: news.StatusPublished,
		PublishedAt: time.Now().Add(-time.Hour).UTC().Truncate(time.Millisecond)}
	if err := s.CreateArticle(ctx, &a); err != nil {
		t.Fatal(err)
	}
	r := news.Reader{Provider: "x", Subject: "1", Name: "Min-ji"}
	if err := s.UpsertReader(ctx, &r); err != nil {
		t.Fatal(err)
	}
	top := news.Comment{ArticleID: a.ID, ReaderID: r.ID, AuthorName: r.Name, Body: "Top.", Status: news.CommentApproved}
	if err := s.CreateComment(ctx, &top); err != nil {
		t.Fatal(err)
	}
	return a, r, top
}
