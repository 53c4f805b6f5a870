package storetest

import (
	"testing"
	"time"

	"byline/internal/news"
)

// CommentEngine is a store that also keeps comments, readers and the
// moderation data.
type CommentEngine interface {
	news.Store
	news.CommentStore
	news.ReaderStore
	news.ModerationStore
}

// RunComments runs the comment conformance tests against stores made by
// open.
func RunComments(t *testing.T, open func(t *testing.T) CommentEngine) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s CommentEngine)
	}{
		{"CommentsAndCounts", testCommentsAndCounts},
		{"RefusedCommentLeavesCounts", testRefusedCommentCounts},
		{"CommentThreadListing", testCommentThread},
		{"RecommendAndReport", testRecommendReport},
		{"ImportComment", testImportComment},
		{"ReadersSessionsStates", testReaders},
		{"DeleteReader", testDeleteReader},
		{"PolicySettingsLog", testPolicySettingsLog},
		{"ArticleCommentMode", testArticleMode},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() { s.Close() })
			tc.fn(t, s)
		})
	}
}

func commentFixture(t *testing.T, s CommentEngine) (news.Article, news.Reader, news.Reader) {
	t.Helper()
	f := Seed(t, s)
	a := Publish(t, s, f.Politics, "Assembly votes", "Text.", time.Hour, nil, f.Kim)
	r1 := news.Reader{Provider: "x", Subject: "1", Name: "Min-ji"}
	must(t, s.UpsertReader(ctx, &r1))
	r2 := news.Reader{Provider: "facebook", Subject: "2", Name: "Joon"}
	must(t, s.UpsertReader(ctx, &r2))
	return a, r1, r2
}

func addComment(t *testing.T, s CommentEngine, a news.Article, r news.Reader, body string, parent int64, st news.CommentStatus) news.Comment {
	t.Helper()
	c := news.Comment{ArticleID: a.ID, ReaderID: r.ID, AuthorName: r.Name, Body: body, ParentID: parent, Status: st}
	must(t, s.CreateComment(ctx, &c))
	return c
}

func articleCount(t *testing.T, s CommentEngine, id int64) int {
	t.Helper()
	a, err := s.ArticleByID(ctx, id)
	must(t, err)
	return a.CommentCount
}

// testRefusedCommentCounts: a comment the database refuses (its reader
// does not exist, its parent is missing, a reply or on another article)
// leaves the article's and the parent's counts as they were: the insert
// and the counts stand or fall together (on PostgreSQL they travel in one
// round trip, the counts after the insert, so only a transaction keeps
// them from counting a comment that was refused).
func testRefusedCommentCounts(t *testing.T, s CommentEngine) {
	a, r1, _ := commentFixture(t, s)
	kept := addComment(t, s, a, r1, "Kept", 0, news.CommentApproved)
	reply := addComment(t, s, a, r1, "Kept reply", kept.ID, news.CommentApproved)
	f := SeedSecondSection(t, s)
	other := Publish(t, s, f, "Other", "T", time.Hour, nil)
	elsewhere := addComment(t, s, other, r1, "Elsewhere", 0, news.CommentApproved)
	for _, tc := range []struct {
		name string
		c    news.Comment
		kind news.Kind
	}{
		{"a reader who does not exist", news.Comment{ArticleID: a.ID, ReaderID: r1.ID + 1000, AuthorName: "Nobody", Body: "Refused", Status: news.CommentApproved}, news.KindNotFound},
		{"a reply by a reader who does not exist", news.Comment{ArticleID: a.ID, ParentID: kept.ID, ReaderID: r1.ID + 1000, AuthorName: "Nobody", Body: "Refused", Status: news.CommentApproved}, news.KindNotFound},
		{"a reply to a missing comment", news.Comment{ArticleID: a.ID, ParentID: elsewhere.ID + 1000, ReaderID: r1.ID, AuthorName: r1.Name, Body: "Refused", Status: news.CommentApproved}, news.KindNotFound},
		{"a reply to a reply", news.Comment{ArticleID: a.ID, ParentID: reply.ID, ReaderID: r1.ID, AuthorName: r1.Name, Body: "Refused", Status: news.CommentApproved}, news.KindInvalid},
		{"a reply to another article's comment", news.Comment{ArticleID: a.ID, ParentID: elsewhere.ID, ReaderID: r1.ID, AuthorName: r1.Name, Body: "Refused", Status: news.CommentApproved}, news.KindInvalid},
	} {
		c := tc.c
		if err := s.CreateComment(ctx, &c); news.KindOf(err) != tc.kind {
			t.Fatalf("comment by %s: %v, want kind %v", tc.name, err, tc.kind)
		}
		if c.ID != 0 {
			t.Errorf("comment by %s: refused but given id %d", tc.name, c.ID)
		}
		if got := articleCount(t, s, a.ID); got != 2 {
			t.Errorf("comment_count = %d after %s, want 2", got, tc.name)
		}
		if got := articleCount(t, s, other.ID); got != 1 {
			t.Errorf("the other article's comment_count = %d after %s, want 1", got, tc.name)
		}
		for _, p := range []struct {
			id   int64
			want int
		}{{kept.ID, 1}, {reply.ID, 0}, {elsewhere.ID, 0}} {
			got, err := s.CommentByID(ctx, p.id)
			must(t, err)
			if got.ReplyCount != p.want {
				t.Errorf("comment %d: reply_count = %d after %s, want %d", p.id, got.ReplyCount, tc.name, p.want)
			}
		}
	}
	page, err := s.ListComments(ctx, news.CommentQuery{ArticleID: a.ID})
	must(t, err)
	if page.Total != 1 || len(page.Comments) != 1 || page.Comments[0].Body != "Kept" || len(page.Comments[0].Replies) != 1 {
		t.Errorf("listed %d (total %d), want the one kept comment with its reply", len(page.Comments), page.Total)
	}
}

func testCommentsAndCounts(t *testing.T, s CommentEngine) {
	a, r1, r2 := commentFixture(t, s)
	c1 := addComment(t, s, a, r1, "First", 0, news.CommentApproved)
	if c1.ID == 0 || c1.CreatedAt.IsZero() {
		t.Fatalf("CreateComment did not set ID and CreatedAt: %+v", c1)
	}
	addComment(t, s, a, r2, "Held", 0, news.CommentPending)
	shadow := news.Comment{ArticleID: a.ID, ReaderID: r2.ID, AuthorName: r2.Name, Body: "Shadow", Status: news.CommentApproved, Shadow: true}
	must(t, s.CreateComment(ctx, &shadow))
	reply := addComment(t, s, a, r2, "Reply", c1.ID, news.CommentApproved)
	if got := articleCount(t, s, a.ID); got != 2 {
		t.Errorf("comment_count = %d, want 2 (approved, not shadow)", got)
	}
	got, err := s.CommentByID(ctx, c1.ID)
	must(t, err)
	if got.ReplyCount != 1 || got.Body != "First" || got.AuthorName != "Min-ji" || got.Status != news.CommentApproved {
		t.Errorf("CommentByID = %+v", got)
	}
	// One level only; the parent must be of the same article.
	bad := news.Comment{ArticleID: a.ID, ReaderID: r1.ID, AuthorName: "x", Body: "deep", ParentID: reply.ID, Status: news.CommentApproved}
	wantKind(t, s.CreateComment(ctx, &bad), news.KindInvalid)
	f := SeedSecondSection(t, s)
	other := Publish(t, s, f, "Other", "T", time.Hour, nil)
	bad = news.Comment{ArticleID: other.ID, ReaderID: r1.ID, AuthorName: "x", Body: "wrong", ParentID: c1.ID, Status: news.CommentApproved}
	wantKind(t, s.CreateComment(ctx, &bad), news.KindInvalid)
	wantKind(t, s.CreateComment(ctx, &news.Comment{ArticleID: a.ID, AuthorName: "x", Body: " ", Status: news.CommentApproved}), news.KindInvalid)

	// Status changes move the counts.
	must(t, s.SetCommentStatus(ctx, reply.ID, news.CommentRemoved, "2"))
	if got := articleCount(t, s, a.ID); got != 1 {
		t.Errorf("after removing the reply: comment_count = %d, want 1", got)
	}
	got, _ = s.CommentByID(ctx, c1.ID)
	if got.ReplyCount != 0 {
		t.Errorf("after removing the reply: reply_count = %d, want 0", got.ReplyCount)
	}
	must(t, s.SetCommentStatus(ctx, reply.ID, news.CommentApproved, ""))
	must(t, s.SetCommentStatus(ctx, reply.ID, news.CommentApproved, "")) // idempotent
	if got := articleCount(t, s, a.ID); got != 2 {
		t.Errorf("after approving again: comment_count = %d, want 2", got)
	}
	must(t, s.EditComment(ctx, c1.ID, "First, edited", time.Now()))
	got, _ = s.CommentByID(ctx, c1.ID)
	if !got.Edited || got.Body != "First, edited" {
		t.Errorf("after edit: %+v", got)
	}
	wantKind(t, s.EditComment(ctx, 99999, "x", time.Now()), news.KindNotFound)
	_, err = s.CommentByID(ctx, 99999)
	wantKind(t, err, news.KindNotFound)
	recent, err := s.RecentComments(ctx, r2.ID, time.Now().Add(-time.Hour))
	must(t, err)
	if len(recent) != 3 || recent[0].Body != "Reply" {
		t.Errorf("RecentComments = %+v; want 3, newest first", recent)
	}
	tg, err := s.CommentTarget(ctx, a.ID)
	must(t, err)
	if tg.ID != a.ID || tg.Slug != a.Slug || tg.Headline != a.Headline || tg.Mode != news.CommentsOpen || !tg.Visible(time.Now()) || tg.URL() != a.URL() {
		t.Errorf("CommentTarget = %+v", tg)
	}
	_, err = s.CommentTarget(ctx, 99999)
	wantKind(t, err, news.KindNotFound)
	if n, _ := s.CountReaderComments(ctx, r1.ID); n != 1 {
		t.Errorf("CountReaderComments = %d, want 1", n)
	}
	own, err := s.ReaderCommentsOn(ctx, r2.ID, a.ID)
	must(t, err)
	if len(own) != 3 {
		t.Errorf("ReaderCommentsOn = %d comments, want 3 (pending and shadow too)", len(own))
	}
}

// SeedSecondSection adds a section for a second article.
func SeedSecondSection(t *testing.T, s news.Store) news.Section {
	t.Helper()
	sec := news.Section{Name: "Culture", Position: 5}
	must(t, s.CreateSection(ctx, &sec))
	return sec
}

func testCommentThread(t *testing.T, s CommentEngine) {
	a, r1, r2 := commentFixture(t, s)
	base := time.Now().Add(-time.Hour).UTC().Truncate(time.Millisecond)
	var tops []news.Comment
	for i := 0; i < 5; i++ {
		c := news.Comment{ArticleID: a.ID, ReaderID: r1.ID, AuthorName: r1.Name, Body: "c" + string(rune('0'+i)), Status: news.CommentApproved, CreatedAt: base.Add(time.Duration(i) * time.Minute)}
		must(t, s.CreateComment(ctx, &c))
		tops = append(tops, c)
	}
	addComment(t, s, a, r2, "pending", 0, news.CommentPending)
	rep := news.Comment{ArticleID: a.ID, ReaderID: r2.ID, AuthorName: r2.Name, ReplyTo: r1.Name, Body: "reply", ParentID: tops[1].ID, Status: news.CommentApproved, CreatedAt: base.Add(10 * time.Minute)}
	must(t, s.CreateComment(ctx, &rep))
	_, err := s.RecommendComment(ctx, tops[0].ID, r2.ID)
	must(t, err)

	p, err := s.ListComments(ctx, news.CommentQuery{ArticleID: a.ID, Sort: news.SortNewest, Limit: 2})
	must(t, err)
	if p.Total != 5 || len(p.Comments) != 2 || p.Comments[0].ID != tops[4].ID {
		t.Fatalf("newest page = total %d, %d comments, first %d; want 5, 2, %d", p.Total, len(p.Comments), p.Comments[0].ID, tops[4].ID)
	}
	p, _ = s.ListComments(ctx, news.CommentQuery{ArticleID: a.ID, Sort: news.SortOldest, Limit: 2, Offset: 1})
	if p.Comments[0].ID != tops[1].ID || len(p.Comments[0].Replies) != 1 || p.Comments[0].Replies[0].ReplyTo != r1.Name {
		t.Errorf("oldest, offset 1: first %d with replies %+v; want %d with one reply to %s", p.Comments[0].ID, p.Comments[0].Replies, tops[1].ID, r1.Name)
	}
	p, _ = s.ListComments(ctx, news.CommentQuery{ArticleID: a.ID, Sort: news.SortTop, Limit: 1})
	if p.Comments[0].ID != tops[0].ID {
		t.Errorf("top: first = %d, want the recommended %d", p.Comments[0].ID, tops[0].ID)
	}
	// A deleted comment with replies stays as a stub without text.
	must(t, s.SetCommentStatus(ctx, tops[1].ID, news.CommentDeleted, ""))
	p, _ = s.ListComments(ctx, news.CommentQuery{ArticleID: a.ID, Sort: news.SortOldest, Limit: 10})
	if p.Total != 5 || p.Comments[1].Status != news.CommentDeleted || p.Comments[1].Body != "" || len(p.Comments[1].Replies) != 1 {
		t.Errorf("deleted with replies: total %d, second %+v", p.Total, p.Comments[1])
	}
	must(t, s.SetCommentStatus(ctx, tops[2].ID, news.CommentDeleted, ""))
	p, _ = s.ListComments(ctx, news.CommentQuery{ArticleID: a.ID, Sort: news.SortOldest, Limit: 10})
	if p.Total != 4 {
		t.Errorf("deleted without replies still listed: total %d, want 4", p.Total)
	}
	if got := articleCount(t, s, a.ID); got != 4 {
		t.Errorf("comment_count = %d, want 4 (3 tops + 1 reply)", got)
	}
}

func testRecommendReport(t *testing.T, s CommentEngine) {
	a, r1, r2 := commentFixture(t, s)
	c := addComment(t, s, a, r1, "Good", 0, news.CommentApproved)
	n, err := s.RecommendComment(ctx, c.ID, r2.ID)
	must(t, err)
	if n != 1 {
		t.Errorf("recommends = %d, want 1", n)
	}
	_, err = s.RecommendComment(ctx, c.ID, r2.ID)
	wantKind(t, err, news.KindConflict)
	ids, err := s.ReaderRecommendations(ctx, r2.ID, a.ID)
	must(t, err)
	if len(ids) != 1 || ids[0] != c.ID {
		t.Errorf("ReaderRecommendations = %v", ids)
	}
	_, err = s.RecommendComment(ctx, 99999, r2.ID)
	wantKind(t, err, news.KindNotFound)

	reps, err := s.ReportComment(ctx, &news.CommentReport{CommentID: c.ID, ReaderID: r2.ID, Clause: "2", Note: "rude"})
	must(t, err)
	if reps != 1 {
		t.Errorf("reports = %d, want 1", reps)
	}
	_, err = s.ReportComment(ctx, &news.CommentReport{CommentID: c.ID, ReaderID: r2.ID, Clause: "2"})
	wantKind(t, err, news.KindConflict)
	_, err = s.ReportComment(ctx, &news.CommentReport{CommentID: c.ID, ReaderID: r1.ID})
	wantKind(t, err, news.KindInvalid)
	held := addComment(t, s, a, r2, "Held", 0, news.CommentPending)
	q, err := s.ModerationQueue(ctx, 10, 0)
	must(t, err)
	if len(q) != 2 || q[0].Comment.ID != c.ID || len(q[0].Reports) != 1 || q[0].Reports[0].Note != "rude" || q[1].Comment.ID != held.ID || q[0].Headline != a.Headline {
		t.Fatalf("queue = %+v", q)
	}
	must(t, s.ResolveReports(ctx, c.ID))
	must(t, s.SetCommentStatus(ctx, held.ID, news.CommentApproved, ""))
	q, _ = s.ModerationQueue(ctx, 10, 0)
	if len(q) != 0 {
		t.Errorf("queue after decisions = %d items, want 0", len(q))
	}
	all, err := s.ExportComments(ctx, a.ID)
	must(t, err)
	site, _ := s.ExportComments(ctx, 0)
	if len(all) != 2 || len(site) != 2 {
		t.Errorf("export = %d (article), %d (site); want 2", len(all), len(site))
	}
}

func testImportComment(t *testing.T, s CommentEngine) {
	a, _, _ := commentFixture(t, s)
	c := news.Comment{ArticleID: a.ID, AuthorName: "WP reader", Body: "Imported", ExternalID: "wp:7", CreatedAt: time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)}
	must(t, s.ImportComment(ctx, &c))
	again := news.Comment{ArticleID: a.ID, AuthorName: "WP reader", Body: "Imported", ExternalID: "wp:7"}
	must(t, s.ImportComment(ctx, &again))
	if again.ID != c.ID {
		t.Errorf("second import got id %d, want the first %d", again.ID, c.ID)
	}
	reply := news.Comment{ArticleID: a.ID, AuthorName: "Other", Body: "Reply", ExternalID: "wp:8", ParentID: c.ID}
	must(t, s.ImportComment(ctx, &reply))
	if got := articleCount(t, s, a.ID); got != 2 {
		t.Errorf("comment_count = %d, want 2", got)
	}
	got, _ := s.CommentByID(ctx, c.ID)
	if !got.CreatedAt.Equal(c.CreatedAt) || got.ExternalID != "wp:7" || got.ReaderID != 0 || got.Status != news.CommentApproved {
		t.Errorf("imported = %+v", got)
	}
	wantKind(t, s.ImportComment(ctx, &news.Comment{ArticleID: a.ID, AuthorName: "x", Body: "y"}), news.KindInvalid)
}

func testReaders(t *testing.T, s CommentEngine) {
	r := news.Reader{Provider: "x", Subject: "42", Name: "<b>Kim</b>", Email: "k@example.com"}
	must(t, s.UpsertReader(ctx, &r))
	again := news.Reader{Provider: "x", Subject: "42", Name: "Kim B"}
	must(t, s.UpsertReader(ctx, &again))
	if again.ID != r.ID || again.Name != "Kim B" || !again.CreatedAt.Equal(r.CreatedAt) {
		t.Errorf("upsert again = %+v, first %+v", again, r)
	}
	wantKind(t, s.UpsertReader(ctx, &news.Reader{Provider: "x", Name: "n"}), news.KindInvalid)
	now := time.Now()
	must(t, s.CreateReaderSession(ctx, "hash1", r.ID, now.Add(time.Hour)))
	must(t, s.CreateReaderSession(ctx, "hash2", r.ID, now.Add(-time.Second)))
	got, err := s.ReaderBySession(ctx, "hash1", now)
	must(t, err)
	if got.ID != r.ID {
		t.Errorf("ReaderBySession = %d, want %d", got.ID, r.ID)
	}
	_, err = s.ReaderBySession(ctx, "hash2", now)
	wantKind(t, err, news.KindNotFound)
	must(t, s.DeleteReaderSession(ctx, "hash1"))
	_, err = s.ReaderBySession(ctx, "hash1", now)
	wantKind(t, err, news.KindNotFound)

	st := news.LoginState{State: "s1", Provider: "x", Verifier: "v", Nonce: "n", ReturnTo: "/a", ExpiresAt: now.Add(time.Minute)}
	must(t, s.SaveLoginState(ctx, st))
	gs, err := s.TakeLoginState(ctx, "s1", now)
	must(t, err)
	if gs.Verifier != "v" || gs.Nonce != "n" || gs.ReturnTo != "/a" || gs.Provider != "x" {
		t.Errorf("TakeLoginState = %+v", gs)
	}
	_, err = s.TakeLoginState(ctx, "s1", now)
	wantKind(t, err, news.KindNotFound) // replay
	must(t, s.SaveLoginState(ctx, news.LoginState{State: "s2", Provider: "x", ExpiresAt: now.Add(time.Minute)}))
	_, err = s.TakeLoginState(ctx, "s2", now.Add(2*time.Minute))
	wantKind(t, err, news.KindNotFound) // expired

	until := now.Add(24 * time.Hour).UTC().Truncate(time.Millisecond)
	must(t, s.BanReader(ctx, r.ID, until, false, time.Time{}, "2"))
	got, _ = s.ReaderByID(ctx, r.ID)
	if !got.Banned(now) || got.Banned(until.Add(time.Second)) || got.BanClause != "2" || got.ShadowBanned(now) {
		t.Errorf("after ban: %+v", got)
	}
	must(t, s.BanReader(ctx, r.ID, time.Time{}, true, time.Time{}, "5"))
	got, _ = s.ReaderByID(ctx, r.ID)
	if got.Banned(now) || !got.ShadowBanned(now) {
		t.Errorf("after shadow-ban: %+v", got)
	}
	wantKind(t, s.BanReader(ctx, 99999, until, false, time.Time{}, "2"), news.KindNotFound)
	list, err := s.ListReaders(ctx, 10, 0)
	must(t, err)
	if len(list) != 1 {
		t.Errorf("ListReaders = %d, want 1", len(list))
	}
}

func testDeleteReader(t *testing.T, s CommentEngine) {
	a, r1, r2 := commentFixture(t, s)
	withReply := addComment(t, s, a, r1, "Answered", 0, news.CommentApproved)
	alone := addComment(t, s, a, r1, "Alone", 0, news.CommentApproved)
	addComment(t, s, a, r2, "Answer", withReply.ID, news.CommentApproved)
	other := addComment(t, s, a, r2, "Other", 0, news.CommentApproved)
	_, err := s.RecommendComment(ctx, other.ID, r1.ID)
	must(t, err)
	must(t, s.CreateReaderSession(ctx, "h", r1.ID, time.Now().Add(time.Hour)))
	must(t, s.DeleteReader(ctx, r1.ID))
	_, err = s.ReaderByID(ctx, r1.ID)
	wantKind(t, err, news.KindNotFound)
	_, err = s.ReaderBySession(ctx, "h", time.Now())
	wantKind(t, err, news.KindNotFound)
	_, err = s.CommentByID(ctx, alone.ID)
	wantKind(t, err, news.KindNotFound)
	stub, err := s.CommentByID(ctx, withReply.ID)
	must(t, err)
	if stub.Status != news.CommentDeleted || stub.Body != "" || stub.AuthorName == "Min-ji" || stub.ReaderID != 0 {
		t.Errorf("stub = %+v", stub)
	}
	if got := articleCount(t, s, a.ID); got != 2 {
		t.Errorf("comment_count = %d, want 2 (the reply and Other)", got)
	}
	o, _ := s.CommentByID(ctx, other.ID)
	if o.Recommends != 0 {
		t.Errorf("recommendation of the deleted reader still counts: %d", o.Recommends)
	}
	wantKind(t, s.DeleteReader(ctx, r1.ID), news.KindNotFound)
}

func testPolicySettingsLog(t *testing.T, s CommentEngine) {
	_, err := s.CurrentPolicy(ctx)
	wantKind(t, err, news.KindNotFound)
	p1 := news.PolicyVersion{Body: "# Rules\n\n## 1. Be kind\nText.\n\n## 2. No spam\nMore.", Note: "first", Editor: "ed"}
	must(t, s.AddPolicyVersion(ctx, &p1))
	p2 := news.PolicyVersion{Body: p1.Body + "\n\n## 3. New\nX.", Note: "second"}
	must(t, s.AddPolicyVersion(ctx, &p2))
	if p1.Version != 1 || p2.Version != 2 {
		t.Errorf("versions = %d, %d; want 1, 2", p1.Version, p2.Version)
	}
	wantKind(t, s.AddPolicyVersion(ctx, &news.PolicyVersion{Body: "no clauses"}), news.KindInvalid)
	cur, err := s.CurrentPolicy(ctx)
	must(t, err)
	if cur.Version != 2 || len(cur.Clauses()) != 3 {
		t.Errorf("current = v%d with %d clauses", cur.Version, len(cur.Clauses()))
	}
	old, err := s.PolicyVersionByNumber(ctx, 1)
	must(t, err)
	if old.Note != "first" || old.Editor != "ed" {
		t.Errorf("v1 = %+v", old)
	}
	vs, _ := s.PolicyVersions(ctx)
	if len(vs) != 2 || vs[0].Version != 2 {
		t.Errorf("versions = %+v", vs)
	}
	set, err := s.CommentSettings(ctx)
	must(t, err)
	if set.Mode != news.ModePublish {
		t.Errorf("default mode = %q", set.Mode)
	}
	set.Mode, set.BannedWords, set.BannedSubstrings = news.ModeHold, []string{"idiot"}, []string{"바보"}
	must(t, s.SaveCommentSettings(ctx, set))
	got, _ := s.CommentSettings(ctx)
	if got.Mode != news.ModeHold || len(got.BannedSubstrings) != 1 || got.BannedSubstrings[0] != "바보" {
		t.Errorf("settings = %+v", got)
	}
	set.Mode = "sometimes"
	wantKind(t, s.SaveCommentSettings(ctx, set), news.KindInvalid)
	// Decisions carry their statement of reasons (issue 16); without it
	// they are refused.
	wantKind(t, s.AddModerationEntry(ctx, &news.ModerationEntry{Actor: "ed@x", Action: "remove", CommentID: 3, Clause: "2", Note: "n"}), news.KindInvalid)
	wantKind(t, s.AddModerationEntry(ctx, &news.ModerationEntry{Actor: "system", Action: "hold"}), news.KindInvalid)
	must(t, s.AddModerationEntry(ctx, &news.ModerationEntry{Actor: "ed@x", Action: "remove", CommentID: 3, Clause: "2", Note: "n",
		DecisionID: "d-remove", PolicyVersion: 1}))
	must(t, s.AddModerationEntry(ctx, &news.ModerationEntry{Actor: "system", Action: "hold", Clause: "5", Note: "Too many links.",
		DecisionID: "d-hold", PolicyVersion: 1, Automatic: true}))
	log, err := s.ModerationLog(ctx, 10, 0)
	must(t, err)
	if len(log) != 2 || log[1].Clause != "2" || log[1].CommentID != 3 || log[0].Actor != "system" {
		t.Errorf("log = %+v", log)
	}
}

func testArticleMode(t *testing.T, s CommentEngine) {
	a, _, _ := commentFixture(t, s)
	m, err := s.ArticleCommentMode(ctx, a.ID)
	must(t, err)
	if m != news.CommentsOpen {
		t.Errorf("default mode = %q, want open", m)
	}
	must(t, s.SetArticleCommentMode(ctx, a.ID, news.CommentsClosed))
	must(t, s.SetArticleCommentMode(ctx, a.ID, news.CommentsHidden))
	if m, _ := s.ArticleCommentMode(ctx, a.ID); m != news.CommentsHidden {
		t.Errorf("mode = %q, want hidden", m)
	}
	wantKind(t, s.SetArticleCommentMode(ctx, a.ID, "maybe"), news.KindInvalid)
	wantKind(t, s.SetArticleCommentMode(ctx, 99999, news.CommentsOpen), news.KindNotFound)
}
