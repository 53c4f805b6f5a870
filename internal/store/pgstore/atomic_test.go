package pgstore

import (
	"context"
	"testing"
	"time"

	"byline/internal/news"
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
