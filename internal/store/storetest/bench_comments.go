package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"byline/internal/news"
)

// BenchComments measures the storage side of the comment paths: what a
// post reads and writes (the article's comment target, the writer's
// recent comments, the insert with its counts), the thread a reader
// opens (a page of 20 top-level comments with their replies), a reply, a
// moderator's status change and a decision with its log entry. Each
// engine's bench_test.go runs it.
func BenchComments(b *testing.B, s news.Store) {
	ctx := context.Background()
	sec := news.Section{Name: "Bench"}
	if err := s.CreateSection(ctx, &sec); err != nil {
		b.Fatal(err)
	}
	a := news.Article{SectionID: sec.ID, Headline: "A debated story", Body: "Text.", BodyText: "Text.", Status: news.StatusPublished,
		PublishedAt: time.Now().Add(-time.Hour).UTC().Truncate(time.Millisecond)}
	if err := s.CreateArticle(ctx, &a); err != nil {
		b.Fatal(err)
	}
	// Posts go to another article, so that the thread listed stays the
	// same however many posts ran.
	posted := news.Article{SectionID: sec.ID, Headline: "A new story", Body: "Text.", BodyText: "Text.", Status: news.StatusPublished,
		PublishedAt: a.PublishedAt}
	if err := s.CreateArticle(ctx, &posted); err != nil {
		b.Fatal(err)
	}
	readers := make([]news.Reader, 50)
	for i := range readers {
		readers[i] = news.Reader{Provider: "bench", Subject: fmt.Sprint(i), Name: fmt.Sprintf("Reader %d", i)}
		if err := s.UpsertReader(ctx, &readers[i]); err != nil {
			b.Fatal(err)
		}
	}
	// A thread of 200 top-level comments, every other one with 3 replies.
	var tops []int64
	for i := range 200 {
		c := news.Comment{ArticleID: a.ID, ReaderID: readers[i%50].ID, AuthorName: readers[i%50].Name, Body: fmt.Sprintf("Comment %d on the story.", i), Status: news.CommentApproved}
		if err := s.CreateComment(ctx, &c); err != nil {
			b.Fatal(err)
		}
		tops = append(tops, c.ID)
		if i%2 == 0 {
			for j := range 3 {
				r := news.Comment{ArticleID: a.ID, ParentID: c.ID, ReaderID: readers[(i+j+1)%50].ID, AuthorName: readers[(i+j+1)%50].Name, Body: "A reply.", Status: news.CommentApproved}
				if err := s.CreateComment(ctx, &r); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	postedTop := news.Comment{ArticleID: posted.ID, ReaderID: readers[0].ID, AuthorName: readers[0].Name, Body: "The first word.", Status: news.CommentApproved}
	if err := s.CreateComment(ctx, &postedTop); err != nil {
		b.Fatal(err)
	}
	b.Run("Post", func(b *testing.B) {
		// What one comment post asks of storage, in the order the
		// comment service asks it.
		// The recent comments read are this run's own (the rate limit's
		// window), so what each read returns does not depend on timing.
		since := time.Now()
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			r := readers[i%len(readers)]
			if _, err := s.CommentTarget(ctx, posted.ID); err != nil {
				b.Fatal(err)
			}
			if _, err := s.RecentComments(ctx, r.ID, since); err != nil {
				b.Fatal(err)
			}
			c := news.Comment{ArticleID: posted.ID, ReaderID: r.ID, AuthorName: r.Name, Body: fmt.Sprintf("Posted %d.", i), Status: news.CommentApproved}
			if err := s.CreateComment(ctx, &c); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Reply", func(b *testing.B) {
		// A reply to a top-level comment: its parent is checked and both
		// counts move.
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			r := readers[i%len(readers)]
			c := news.Comment{ArticleID: posted.ID, ParentID: postedTop.ID, ReaderID: r.ID, AuthorName: r.Name, Body: fmt.Sprintf("Reply %d.", i), Status: news.CommentApproved}
			if err := s.CreateComment(ctx, &c); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("List", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			p, err := s.ListComments(ctx, news.CommentQuery{ArticleID: a.ID, Sort: news.SortOldest, Limit: 20, Offset: (i % 5) * 20})
			if err != nil || len(p.Comments) != 20 {
				b.Fatalf("ListComments: %d comments, %v", len(p.Comments), err)
			}
		}
	})
	b.Run("SetStatus", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			st := news.CommentRemoved
			if i%2 == 1 {
				st = news.CommentApproved
			}
			if err := s.SetCommentStatus(ctx, tops[(i/2)%len(tops)], st, "3"); err != nil {
				b.Fatal(err)
			}
		}
	})
	decided := 0 // decision ids are unique across runs (-count)
	b.Run("Decide", func(b *testing.B) {
		// A moderator's decision: the status change and its entry in
		// the hash-chained moderation log, in one transaction.
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			st, action := news.CommentRemoved, "remove"
			if i%2 == 1 {
				st, action = news.CommentApproved, "approve"
			}
			e := &news.ModerationEntry{Actor: "desk@example.com", Action: action, Clause: "3", Note: "Bench.",
				DecisionID: fmt.Sprintf("bench-%d", decided), PolicyVersion: 1}
			decided++
			if err := s.DecideComment(ctx, tops[(i/2)%len(tops)], st, "3", e); err != nil {
				b.Fatal(err)
			}
		}
	})
}
