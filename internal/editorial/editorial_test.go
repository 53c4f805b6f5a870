package editorial_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"byline/internal/editorial"
	"byline/internal/news"
	"byline/internal/store/sqlitestore"
	"byline/internal/store/storetest"
)

var ctx = context.Background()

var (
	editor      = news.StaffUser{ID: 1, Name: "Ed", Role: news.RoleEditor}
	contributor = news.StaffUser{ID: 2, Name: "Con", Role: news.RoleContributor}
	admin       = news.StaffUser{ID: 3, Name: "Ada", Role: news.RoleAdmin}
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type recorder struct {
	mu      sync.Mutex
	events  []editorial.Event
	changes []news.Change
}

func (r *recorder) ArticleEvent(_ context.Context, ev editorial.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
}

func (r *recorder) Notify(_ context.Context, c news.Change) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.changes = append(r.changes, c)
}

func (r *recorder) types() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var s []string
	for _, e := range r.events {
		s = append(s, e.Type)
	}
	return strings.Join(s, ",")
}

type env struct {
	st   *sqlitestore.Store
	svc  *editorial.Service
	rec  *recorder
	clk  *clock
	fix  storetest.Fixture
	path string
}

func setup(t *testing.T) *env {
	t.Helper()
	path := filepath.Join(t.TempDir(), "byline.db")
	st, err := sqlitestore.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e := &env{st: st, rec: &recorder{}, clk: &clock{t: time.Now().UTC().Truncate(time.Millisecond)}, path: path}
	e.fix = storetest.Seed(t, st)
	e.svc = editorial.New(editorial.Deps{Store: st, Staff: st, Notifier: e.rec, Now: e.clk.Now})
	e.svc.AddListener(e.rec)
	return e
}

func (e *env) draft(t *testing.T, u news.StaffUser, headline string) news.Article {
	t.Helper()
	a := news.Article{Headline: headline, Body: "First paragraph.\n\nSecond paragraph.", SectionID: e.fix.Politics.ID, Authors: []news.Author{e.fix.Kim}}
	if err := e.svc.Create(ctx, u, &a); err != nil {
		t.Fatal(err)
	}
	return a
}

func visible(t *testing.T, e *env, id int64) bool {
	t.Helper()
	page, err := e.st.ListArticles(ctx, news.ArticleQuery{Now: e.clk.Now()})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range page.Articles {
		if a.ID == id {
			return true
		}
	}
	return false
}

func TestWorkflowPublishUpdateUnpublish(t *testing.T) {
	e := setup(t)
	a := e.draft(t, contributor, "Assembly passes budget")
	if a.Status != news.StatusDraft || a.BodyText == "" {
		t.Fatalf("new article: status %q, body text %q; want a draft with derived text", a.Status, a.BodyText)
	}
	if _, err := e.svc.Submit(ctx, contributor, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Publish(ctx, contributor, a.ID); news.KindOf(err) != news.KindForbidden {
		t.Fatalf("contributor publish: got %v, want forbidden", err)
	}
	if visible(t, e, a.ID) {
		t.Fatal("draft is visible")
	}
	p, err := e.svc.Publish(ctx, editor, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Status != news.StatusPublished || !visible(t, e, a.ID) {
		t.Fatalf("after publish: status %q, visible %v", p.Status, visible(t, e, a.ID))
	}
	// A contributor may not touch the published article.
	p2 := p
	p2.Headline = "Vandalised"
	if err := e.svc.Save(ctx, contributor, &p2); news.KindOf(err) != news.KindForbidden {
		t.Fatalf("contributor save of published: got %v, want forbidden", err)
	}
	e.clk.Add(5 * time.Minute)
	p.Headline = "Assembly passes record budget"
	if err := e.svc.Save(ctx, editor, &p); err != nil {
		t.Fatal(err)
	}
	if p.UpdatedAt.IsZero() {
		t.Error("an edit of a published article did not set UpdatedAt")
	}
	if _, err := e.svc.Unpublish(ctx, editor, a.ID); err != nil {
		t.Fatal(err)
	}
	if visible(t, e, a.ID) {
		t.Error("unpublished article is still visible")
	}
	if got, want := e.rec.types(), "publish,update,unpublish"; got != want {
		t.Errorf("listener events %q, want %q", got, want)
	}
	if len(e.rec.changes) < 3 {
		t.Errorf("notifier told of %d changes, want at least 3", len(e.rec.changes))
	}
	revs, err := e.svc.Revisions(ctx, a.ID)
	if err != nil || len(revs) != 2 || revs[0].Note != "update" || revs[1].Note != "publish" || revs[0].UserName != "Ed" {
		t.Fatalf("revisions %+v (%v), want update and publish by Ed", revs, err)
	}
}

func TestSaveConflict(t *testing.T) {
	e := setup(t)
	// A contributor's draft that an editor works on at the same time.
	a := e.draft(t, contributor, "Original headline")
	mine, theirs := a, a
	theirs.Body = "Their body."
	if err := e.svc.Save(ctx, editor, &theirs); err != nil {
		t.Fatal(err)
	}
	mine.Body = "My body."
	err := e.svc.Save(ctx, contributor, &mine)
	var ce *editorial.ConflictError
	if !errors.As(err, &ce) || news.KindOf(err) != news.KindConflict {
		t.Fatalf("second save: got %v, want a conflict", err)
	}
	if ce.Theirs.Body != "Their body." || !editorial.Changed(ce.Diff) {
		t.Errorf("conflict carries %q and diff %v", ce.Theirs.Body, ce.Diff)
	}
	var del, ins bool
	for _, l := range ce.Diff {
		del = del || (l.Op == editorial.Delete && l.Text == "Their body.")
		ins = ins || (l.Op == editorial.Insert && l.Text == "My body.")
	}
	if !del || !ins {
		t.Errorf("diff %+v, want their line removed and mine added", ce.Diff)
	}
	got, _ := e.svc.Get(ctx, a.ID)
	if got.Body != "Their body." {
		t.Errorf("stored body %q, want theirs kept", got.Body)
	}
}

func TestScheduleExactlyOnceWithTwoSchedulers(t *testing.T) {
	e := setup(t)
	// A second server: its own connection pools on the same database file.
	st2, err := sqlitestore.Open(ctx, e.path)
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	rec2 := &recorder{}
	svc2 := editorial.New(editorial.Deps{Store: st2, Staff: st2, Notifier: rec2, Now: e.clk.Now})
	svc2.AddListener(rec2)

	var ids []int64
	for i := 0; i < 20; i++ {
		a := e.draft(t, editor, "Scheduled story "+string(rune('A'+i)))
		if _, err := e.svc.Schedule(ctx, editor, a.ID, e.clk.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	if n, _ := e.svc.PublishDue(ctx); len(n) != 0 {
		t.Fatalf("published %v before their time", n)
	}
	if visible(t, e, ids[0]) {
		t.Fatal("scheduled article visible early")
	}
	e.clk.Add(time.Hour + time.Second)
	var total atomic.Int64
	var wg sync.WaitGroup
	for _, svc := range []*editorial.Service{e.svc, svc2, e.svc, svc2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := svc.PublishDue(ctx)
			if err != nil {
				t.Error(err)
			}
			total.Add(int64(len(got)))
		}()
	}
	wg.Wait()
	if total.Load() != int64(len(ids)) {
		t.Fatalf("schedulers published %d articles in all, want exactly %d", total.Load(), len(ids))
	}
	publishEvents := strings.Count(e.rec.types()+","+rec2.types(), "publish")
	if publishEvents != len(ids) {
		t.Errorf("%d publish events, want %d (one per article)", publishEvents, len(ids))
	}
	for _, id := range ids {
		if !visible(t, e, id) {
			t.Errorf("article %d not visible after its time", id)
		}
		revs, _ := e.svc.Revisions(ctx, id)
		if len(revs) != 1 || revs[0].Note != "scheduled publish" {
			t.Errorf("article %d revisions %+v, want one scheduled publish", id, revs)
		}
	}
}

func TestSchedulerCatchesUpOnStart(t *testing.T) {
	e := setup(t)
	a := e.draft(t, editor, "Overnight story")
	if _, err := e.svc.Schedule(ctx, editor, a.ID, e.clk.Now().Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	e.clk.Add(2 * time.Hour) // the server was down when it was due
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { e.svc.RunScheduler(runCtx, time.Hour); close(done) }()
	deadline := time.Now().Add(5 * time.Second)
	for !visible(t, e, a.ID) {
		if time.Now().After(deadline) {
			t.Fatal("the scheduler did not publish the overdue article on start")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	<-done
}

func TestEmbargoHidesUntilItPasses(t *testing.T) {
	e := setup(t)
	a := e.draft(t, editor, "Embargoed report")
	a.EmbargoUntil = e.clk.Now().Add(time.Hour)
	if err := e.svc.Save(ctx, editor, &a); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Publish(ctx, editor, a.ID); err != nil {
		t.Fatal(err)
	}
	if visible(t, e, a.ID) {
		t.Fatal("embargoed article visible")
	}
	res, err := e.st.Search(ctx, news.SearchQuery{Text: "embargoed", Now: e.clk.Now()})
	if err != nil || res.Total != 0 {
		t.Fatalf("search found %d (%v) embargoed articles, want 0", res.Total, err)
	}
	e.clk.Add(time.Hour + time.Second)
	if !visible(t, e, a.ID) {
		t.Error("article still hidden after the embargo")
	}
}

func TestRevisionsDiffAndRestore(t *testing.T) {
	e := setup(t)
	a := e.draft(t, editor, "First headline")
	a2, err := e.svc.Publish(ctx, editor, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	a2.Headline = "Second headline"
	a2.Body = "First paragraph.\n\nA new second paragraph."
	if err := e.svc.Save(ctx, editor, &a2); err != nil {
		t.Fatal(err)
	}
	revs, _ := e.svc.Revisions(ctx, a.ID)
	if len(revs) != 2 {
		t.Fatalf("%d revisions, want 2", len(revs))
	}
	d := editorial.DiffArticles(revs[1].Snapshot, revs[0].Snapshot)
	var got []string
	for _, l := range d {
		if l.Op != editorial.Same {
			got = append(got, l.Sign()+l.Text)
		}
	}
	want := "-Headline: First headline|+Headline: Second headline|-Second paragraph.|+A new second paragraph."
	if strings.Join(got, "|") != want {
		t.Errorf("diff %q, want %q", strings.Join(got, "|"), want)
	}
	if _, err := e.svc.Restore(ctx, contributor, a.ID, revs[1].ID); news.KindOf(err) != news.KindForbidden {
		t.Errorf("contributor restore: %v, want forbidden", err)
	}
	r, err := e.svc.Restore(ctx, editor, a.ID, revs[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Headline != "First headline" || r.Status != news.StatusPublished {
		t.Errorf("restored %q (%s), want the first headline, still published", r.Headline, r.Status)
	}
	revs, _ = e.svc.Revisions(ctx, a.ID)
	if len(revs) != 3 || !strings.HasPrefix(revs[0].Note, "restore of revision") {
		t.Errorf("after restore revisions %+v, want a third, restoring one", revs)
	}
	other := e.draft(t, editor, "Other")
	if _, err := e.svc.Restore(ctx, editor, other.ID, revs[1].ID); !news.IsNotFound(err) {
		t.Errorf("restoring another article's revision: %v, want not found", err)
	}
}

func TestLineDiff(t *testing.T) {
	for _, tc := range []struct{ a, b, want string }{
		{"", "", ""},
		{"a b c", "a b c", " a  b  c"},
		{"a b c", "a x c", " a -b +x  c"},
		{"a b", "", "-a -b"},
		{"", "a", "+a"},
		{"a b c d", "b d e", "-a  b -c  d +e"},
	} {
		d := editorial.LineDiff(strings.Fields(tc.a), strings.Fields(tc.b))
		var parts []string
		for _, l := range d {
			parts = append(parts, l.Sign()+l.Text)
		}
		if got := strings.Join(parts, " "); got != tc.want {
			t.Errorf("LineDiff(%q, %q) = %q, want %q", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestCorrectionsAndRoles(t *testing.T) {
	e := setup(t)
	a := e.draft(t, editor, "Story to correct")
	if _, err := e.svc.Publish(ctx, editor, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Correct(ctx, contributor, a.ID, news.KindCorrection, "x"); news.KindOf(err) != news.KindForbidden {
		t.Errorf("contributor correction: %v, want forbidden", err)
	}
	if _, err := e.svc.Correct(ctx, editor, a.ID, "retraction", "x"); news.KindOf(err) != news.KindInvalid {
		t.Errorf("unknown kind: %v, want invalid", err)
	}
	if _, err := e.svc.Correct(ctx, editor, a.ID, news.KindCorrection, "An earlier version misnamed the minister."); err != nil {
		t.Fatal(err)
	}
	got, _ := e.svc.Get(ctx, a.ID)
	if len(got.Corrections) != 1 {
		t.Errorf("%d corrections, want 1", len(got.Corrections))
	}
	sec := news.Section{Name: "Opinion"}
	if err := e.svc.CreateSection(ctx, editor, &sec); news.KindOf(err) != news.KindForbidden {
		t.Errorf("editor creating a section: %v, want forbidden", err)
	}
	if err := e.svc.CreateSection(ctx, admin, &sec); err != nil {
		t.Fatal(err)
	}
}

func TestSectionMoveRedirects(t *testing.T) {
	e := setup(t)
	sub := news.Section{Name: "Assembly", ParentID: e.fix.Politics.ID}
	if err := e.svc.CreateSection(ctx, admin, &sub); err != nil {
		t.Fatal(err)
	}
	pol := e.fix.Politics
	pol.ParentID = 0
	pol.Slug = "politics"
	if err := e.svc.UpdateSection(ctx, admin, &pol); err != nil {
		t.Fatal(err)
	}
	for from, want := range map[string]string{"/section/national/politics": "/section/politics", "/section/national/politics/assembly": "/section/politics/assembly"} {
		got, err := e.st.RedirectFor(ctx, from)
		if err != nil || got != want {
			t.Errorf("redirect %s -> %q (%v), want %s", from, got, err, want)
		}
	}
}

// BenchmarkSaveDraft and BenchmarkSavePublished measure an editor's save
// (the autosave path; the published one also stores a revision).
func BenchmarkSaveDraft(b *testing.B) { benchSave(b, false) }

func BenchmarkSavePublished(b *testing.B) { benchSave(b, true) }

func benchSave(b *testing.B, published bool) {
	path := filepath.Join(b.TempDir(), "byline.db")
	st, err := sqlitestore.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	sec := news.Section{Name: "National"}
	if err := st.CreateSection(ctx, &sec); err != nil {
		b.Fatal(err)
	}
	svc := editorial.New(editorial.Deps{Store: st, Staff: st})
	a := news.Article{Headline: "Bench", Body: strings.Repeat("A paragraph of a long story, with words.\n\n", 150), SectionID: sec.ID}
	if err := svc.Create(ctx, editor, &a); err != nil {
		b.Fatal(err)
	}
	if published {
		if a, err = svc.Publish(ctx, editor, a.ID); err != nil {
			b.Fatal(err)
		}
	}
	i := 0
	for b.Loop() {
		i++
		a.Dek = "Version " + strings.Repeat("x", i%50)
		if err := svc.Save(ctx, editor, &a); err != nil {
			b.Fatal(err)
		}
	}
}

func TestUnchangedSaveOfPublishedMakesNoRevision(t *testing.T) {
	e := setup(t)
	a := e.draft(t, editor, "Steady story")
	p, err := e.svc.Publish(ctx, editor, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	// As the form sends it: bylines by id only, tags as typed.
	p.Authors = []news.Author{{ID: e.fix.Kim.ID}}
	if err := e.svc.Save(ctx, editor, &p); err != nil {
		t.Fatal(err)
	}
	revs, _ := e.svc.Revisions(ctx, a.ID)
	if len(revs) != 1 {
		t.Errorf("%d revisions after an unchanged save, want only the publish one", len(revs))
	}
	if got := e.rec.types(); got != "publish" {
		t.Errorf("events %q, want only publish", got)
	}
}

func TestContributorsEditOnlyTheirOwnArticles(t *testing.T) {
	e := setup(t)
	other := news.StaffUser{ID: 9, Name: "Other", Role: news.RoleContributor}
	mine := e.draft(t, contributor, "Contributor's own draft")
	theirs := e.draft(t, other, "Someone else's draft")
	byEditor := e.draft(t, editor, "Editor's draft")

	mine.Dek = "edited by its writer"
	if err := e.svc.Save(ctx, contributor, &mine); err != nil {
		t.Errorf("a contributor saving their own draft: %v", err)
	}
	for _, a := range []news.Article{theirs, byEditor} {
		a.Dek = "edited by another contributor"
		if err := e.svc.Save(ctx, contributor, &a); news.KindOf(err) != news.KindForbidden {
			t.Errorf("a contributor saving %q: %v, want forbidden", a.Headline, err)
		}
		if _, err := e.svc.Submit(ctx, contributor, a.ID); news.KindOf(err) != news.KindForbidden {
			t.Errorf("a contributor submitting %q: %v, want forbidden", a.Headline, err)
		}
		got, err := e.svc.Get(ctx, a.ID)
		if err != nil || got.Dek == "edited by another contributor" || got.Status != news.StatusDraft {
			t.Errorf("%q changed after refusals: dek %q status %s (%v)", a.Headline, got.Dek, got.Status, err)
		}
	}
	theirs.Dek = "edited by an editor"
	if err := e.svc.Save(ctx, editor, &theirs); err != nil {
		t.Errorf("an editor saving a contributor's draft: %v", err)
	}
}

// brokenOwners is a store whose ownership records cannot be read.
type brokenOwners struct{ news.Store }

func (brokenOwners) ArticleOwner(context.Context, int64) (int64, error) {
	return 0, errors.New("ownership table unreadable")
}

// TestContributorRefusedWhenOwnershipUnknown: the check fails closed. An
// article with no recorded creator, or an ownership record that cannot be
// read, keeps a contributor out; editors are not asked about ownership.
func TestContributorRefusedWhenOwnershipUnknown(t *testing.T) {
	e := setup(t)
	orphan := news.Article{Headline: "Imported before owners were kept", SectionID: e.fix.Politics.ID}
	if err := e.st.CreateArticle(ctx, &orphan); err != nil {
		t.Fatal(err)
	}
	orphan.Dek = "edited by a contributor"
	if err := e.svc.Save(ctx, contributor, &orphan); news.KindOf(err) != news.KindForbidden {
		t.Errorf("a contributor saving an article with no recorded owner: %v, want forbidden", err)
	}

	mine := e.draft(t, contributor, "Contributor's own draft")
	broken := editorial.New(editorial.Deps{Store: brokenOwners{e.st}, Staff: e.st, Notifier: e.rec, Now: e.clk.Now})
	mine.Dek = "edited while ownership is unreadable"
	if err := broken.Save(ctx, contributor, &mine); err == nil {
		t.Error("a contributor saved while the owner could not be read; want a refusal")
	}
	got, err := e.svc.Get(ctx, mine.ID)
	if err != nil || got.Dek == mine.Dek {
		t.Errorf("draft changed after a refusal: dek %q (%v)", got.Dek, err)
	}
	mine.Dek = "edited by an editor"
	if err := broken.Save(ctx, editor, &mine); err != nil {
		t.Errorf("an editor saving while ownership is unreadable: %v", err)
	}
}
