package editorial_test

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"byline/internal/editorial"
	"byline/internal/news"
	"byline/internal/store/sqlitestore"
)

// Nothing is announced to the outside while an article is under embargo;
// the publish event goes out when the embargo lifts, exactly once however
// many schedulers run.
func TestEmbargoHoldsEventsUntilItLifts(t *testing.T) {
	e := setup(t)
	st2, err := sqlitestore.Open(ctx, e.path)
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	rec2 := &recorder{}
	svc2 := editorial.New(editorial.Deps{Store: st2, Staff: st2, Notifier: rec2, Now: e.clk.Now})
	svc2.AddListener(rec2)

	a := e.draft(t, editor, "Embargoed results")
	a.EmbargoUntil = e.clk.Now().Add(time.Hour)
	if err := e.svc.Save(ctx, editor, &a); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Publish(ctx, editor, a.ID); err != nil {
		t.Fatal(err)
	}
	// An edit and a correction before the embargo: still nothing outside.
	cur, _ := e.svc.Get(ctx, a.ID)
	cur.Body += "\n\nA late paragraph."
	if err := e.svc.Save(ctx, editor, &cur); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Correct(ctx, editor, a.ID, news.KindUpdate, "Figures added."); err != nil {
		t.Fatal(err)
	}
	if got := e.rec.types(); got != "" {
		t.Fatalf("events before the embargo: %q, want none", got)
	}
	if ids, _ := e.svc.LiftEmbargoes(ctx); len(ids) != 0 {
		t.Fatalf("lifted %v before the embargo's end", ids)
	}

	e.clk.Add(time.Hour + time.Second)
	var total atomic.Int64
	var wg sync.WaitGroup
	for _, svc := range []*editorial.Service{e.svc, svc2, e.svc, svc2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids, err := svc.LiftEmbargoes(ctx)
			if err != nil {
				t.Error(err)
			}
			total.Add(int64(len(ids)))
		}()
	}
	wg.Wait()
	all := e.rec.types() + "," + rec2.types()
	if total.Load() != 1 || strings.Count(all, "publish") != 1 || strings.Count(all, "update") != 0 {
		t.Errorf("after the embargo: %d lifts, events %q; want exactly one publish", total.Load(), all)
	}
	got, _ := e.svc.Get(ctx, a.ID)
	if !got.EmbargoUntil.IsZero() {
		t.Errorf("embargo still set after it lifted: %v", got.EmbargoUntil)
	}
	// Later edits are ordinary updates; the lift never repeats.
	got.Dek = "Now with a standfirst"
	if err := e.svc.Save(ctx, editor, &got); err != nil {
		t.Fatal(err)
	}
	if ids, _ := e.svc.LiftEmbargoes(ctx); len(ids) != 0 {
		t.Errorf("lifted again: %v", ids)
	}
	if all := e.rec.types() + "," + rec2.types(); strings.Count(all, "publish") != 1 || strings.Count(all, "update") != 1 {
		t.Errorf("events %q, want one publish and one update", all)
	}
}

// Removing an embargo early announces the article then; unpublishing an
// embargoed article tells nobody (nobody outside knew of it); a scheduled
// article with a later embargo is announced at the embargo, not at its
// publication.
func TestEmbargoEdges(t *testing.T) {
	e := setup(t)
	early := e.draft(t, editor, "Released early")
	early.EmbargoUntil = e.clk.Now().Add(time.Hour)
	e.svc.Save(ctx, editor, &early)
	e.svc.Publish(ctx, editor, early.ID)
	cur, _ := e.svc.Get(ctx, early.ID)
	cur.EmbargoUntil = time.Time{}
	if err := e.svc.Save(ctx, editor, &cur); err != nil {
		t.Fatal(err)
	}
	if got := e.rec.types(); got != "publish" {
		t.Errorf("embargo removed: events %q, want publish", got)
	}

	e.rec.events = nil
	pulled := e.draft(t, editor, "Pulled before release")
	pulled.EmbargoUntil = e.clk.Now().Add(time.Hour)
	e.svc.Save(ctx, editor, &pulled)
	e.svc.Publish(ctx, editor, pulled.ID)
	if _, err := e.svc.Unpublish(ctx, editor, pulled.ID); err != nil {
		t.Fatal(err)
	}
	if got := e.rec.types(); got != "" {
		t.Errorf("embargoed then unpublished: events %q, want none", got)
	}

	sched := e.draft(t, editor, "Scheduled, embargoed longer")
	sched.EmbargoUntil = e.clk.Now().Add(2 * time.Hour)
	e.svc.Save(ctx, editor, &sched)
	if _, err := e.svc.Schedule(ctx, editor, sched.ID, e.clk.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	e.clk.Add(time.Hour + time.Second)
	if ids, _ := e.svc.PublishDue(ctx); len(ids) != 1 {
		t.Fatalf("scheduled publish: %v", ids)
	}
	if got := e.rec.types(); got != "" {
		t.Errorf("scheduled publish under embargo: events %q, want none yet", got)
	}
	e.clk.Add(time.Hour)
	if ids, _ := e.svc.LiftEmbargoes(ctx); len(ids) != 1 {
		t.Fatalf("lift: %v", ids)
	}
	if got := e.rec.types(); got != "publish" {
		t.Errorf("at the embargo: events %q, want publish", got)
	}

	// A scheduled article whose embargo passed before it went out is
	// announced once, at publication.
	e.rec.events = nil
	late := e.draft(t, editor, "Scheduler caught up late")
	late.EmbargoUntil = e.clk.Now().Add(time.Minute)
	e.svc.Save(ctx, editor, &late)
	e.svc.Schedule(ctx, editor, late.ID, e.clk.Now().Add(30*time.Second))
	e.clk.Add(time.Hour) // the servers were down through both times
	e.svc.PublishDue(ctx)
	e.svc.LiftEmbargoes(ctx)
	if got := e.rec.types(); got != "publish" {
		t.Errorf("late catch-up: events %q, want exactly one publish", got)
	}
}

// The scheduler sleeps until the next due second, not until its ticker:
// scheduling (here or, via Rearm, on another server) moves its wake-up to
// the article's time, and it publishes then.
func TestSchedulerWakesOnTheSecond(t *testing.T) {
	e := setup(t)
	// This test runs on the real clock: RunScheduler's timer does.
	real := editorial.New(editorial.Deps{Store: e.st, Staff: e.st, Notifier: e.rec})
	real.AddListener(e.rec)
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { real.RunScheduler(runCtx, time.Hour); close(done) }()
	defer func() { cancel(); <-done }()

	a := e.draft(t, editor, "On the second")
	at := time.Now().Add(1500 * time.Millisecond).Truncate(time.Millisecond)
	if _, err := real.Schedule(ctx, editor, a.ID, at); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the scheduler to aim at the article's time", func() bool { return real.NextWake().Equal(at) })
	waitFor(t, "the article to be published", func() bool {
		got, _ := e.st.ArticleByID(ctx, a.ID)
		return got.Status == news.StatusPublished
	})
	// Another server scheduled something: Rearm makes this one look again.
	b := e.draft(t, editor, "Scheduled elsewhere")
	at2 := time.Now().Add(time.Hour).Truncate(time.Millisecond)
	other := editorial.New(editorial.Deps{Store: e.st, Staff: e.st})
	if _, err := other.Schedule(ctx, editor, b.ID, at2); err != nil {
		t.Fatal(err)
	}
	real.Rearm()
	waitFor(t, "the rearmed scheduler to aim at the other server's time", func() bool { return real.NextWake().Equal(at2) })
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
