package pgstore

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"byline/internal/news"
	"byline/internal/store/storetest"
)

// masksOff counts the articles whose row of article_common is missing,
// left over, or not what the trigger would write now with search_common
// as it is: visibility columns and the three masks.
func masksOff(t *testing.T, s *Store) int {
	t.Helper()
	var n int
	if err := s.pool.QueryRow(context.Background(), `SELECT count(*)
		FROM article_search a FULL JOIN article_common c ON c.id = a.id
		WHERE a.id IS NULL OR c.id IS NULL
			OR c.status IS DISTINCT FROM a.status OR c.published_at IS DISTINCT FROM a.published_at
			OR c.embargo_until IS DISTINCT FROM a.embargo_until
			OR c.common <> search_common_mask(a.words) OR c.head_common <> search_common_mask(a.head)
			OR c.lead_common <> search_common_mask(a.lead)`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TidySearch chooses the commonest words again and recomputes every
// article's masks while articles go on being written: writes made during
// the build neither wait for it (the writer's lock_timeout would end
// them) nor keep masks of the old choice once the new one is in place.
func TestTidySearchLetsWritersOn(t *testing.T) {
	s, f := searchFixture(t)
	ctx := context.Background()
	if err := s.TidySearch(ctx); err != nil {
		t.Fatal(err)
	}
	var ferry int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM search_common WHERE lexeme = 'ferri'`).Scan(&ferry); err != nil || ferry != 0 {
		t.Fatalf("ferry is among the commonest words before any article has it (%d, %v)", ferry, err)
	}
	// "ferry" becomes common: the next choice has it, the current one not.
	for i := range 20 {
		storetest.Publish(t, s, f.Business, fmt.Sprintf("Ferry timetable %d", i), "The ferry to the island leaves the harbor at noon.", time.Duration(40+i)*time.Hour, nil)
	}
	if n := masksOff(t, s); n != 0 {
		t.Fatalf("%d articles' masks differ from search_common before the rebuild", n)
	}

	// Another server's writers, who give up on any lock after 3 s.
	cfg := s.pool.Config().Copy()
	cfg.ConnConfig.RuntimeParams["lock_timeout"] = "3s"
	w, err := OpenConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	edited := storetest.Publish(t, s, f.Business, "Quiet day at the harbor", "Nothing sailed.", 30*time.Minute, nil)
	gone := storetest.Publish(t, s, f.Business, "Ferry cancelled", "The ferry stayed in the harbor.", 31*time.Minute, nil)
	drafted := storetest.Publish(t, s, f.Business, "Ferry fares", "Ferry fares rise in spring.", 32*time.Minute, nil)
	var fresh news.Article
	wrote := false
	err = s.tidySearch(ctx, func() {
		// The new tables are built; the old ones are still read and written.
		fresh = news.Article{SectionID: f.Business.ID, Headline: "Ferry to the harbor", Body: "A new ferry crane.", BodyText: "A new ferry crane.",
			Status: news.StatusPublished, PublishedAt: time.Now().UTC().Truncate(time.Millisecond)}
		if err := w.CreateArticle(ctx, &fresh); err != nil {
			t.Errorf("create an article during the build: %v", err)
			return
		}
		edited.Body, edited.BodyText = "The ferry sailed late.", "The ferry sailed late."
		if err := w.UpdateArticle(ctx, &edited); err != nil {
			t.Errorf("edit an article during the build: %v", err)
			return
		}
		drafted.Status = news.StatusDraft
		if err := w.UpdateArticle(ctx, &drafted); err != nil {
			t.Errorf("take an article back to draft during the build: %v", err)
			return
		}
		// Byline keeps articles; a database operator may not.
		if _, err := w.pool.Exec(ctx, `DELETE FROM articles WHERE id = $1`, gone.ID); err != nil {
			t.Errorf("delete an article during the build: %v", err)
			return
		}
		wrote = true
	})
	if err != nil {
		t.Fatal(err)
	}
	if !wrote {
		t.Fatal("the writes during the build did not all go through")
	}
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM search_common WHERE lexeme = 'ferri'`).Scan(&ferry); err != nil || ferry != 1 {
		t.Fatalf("ferry is not among the commonest words after the rebuild (%d, %v)", ferry, err)
	}
	if n := masksOff(t, s); n != 0 {
		t.Errorf("%d articles' masks differ from the new search_common after the rebuild", n)
	}
	var left int
	if err := s.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM search_common_dirty) + (SELECT count(*) FROM pg_class
		WHERE relname IN ('article_common_next', 'search_common_next') AND relnamespace = current_schema()::regnamespace)`).Scan(&left); err != nil || left != 0 {
		t.Errorf("after the rebuild: %d notes or build tables left (%v)", left, err)
	}
	// The masked walk finds what was written during the build, as the
	// index does, and not what was taken back or deleted.
	s.searchTest.candidates = 50
	for _, walk := range []int{-1, 1000} {
		s.searchTest.walk = walk
		res, err := s.Search(ctx, news.SearchQuery{Text: "ferry harbor"})
		if err != nil {
			t.Fatal(err)
		}
		found := map[int64]bool{}
		for _, h := range res.Hits {
			found[h.Article.ID] = true
		}
		if !found[fresh.ID] || !found[edited.ID] || found[drafted.ID] || found[gone.ID] {
			t.Errorf("walk %d, ferry harbor: new %v, edited %v, draft %v, deleted %v; want the first two only",
				walk, found[fresh.ID], found[edited.ID], found[drafted.ID], found[gone.ID])
		}
	}
	// A write after the swap is masked by the trigger with the new choice.
	storetest.Publish(t, w, f.Business, "Ferry again", "The ferry is back.", 0, nil)
	if n := masksOff(t, s); n != 0 {
		t.Errorf("%d articles' masks differ from search_common after a write on the new tables", n)
	}
}

// Two rebuilds at once (tidy-search on two servers) take turns.
func TestTidySearchTwiceAtOnce(t *testing.T) {
	s, _ := searchFixture(t)
	other, err := OpenConfig(context.Background(), s.pool.Config().Copy())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, st := range []*Store{s, other} {
		wg.Go(func() { errs[i] = st.TidySearch(context.Background()) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("rebuild %d: %v", i, err)
		}
	}
	if n := masksOff(t, s); n != 0 {
		t.Errorf("%d articles' masks differ from search_common", n)
	}
}

// SearchUpkeep leaves a fresh choice alone and rebuilds one the paper
// has grown out of, once autovacuum's ANALYZE has seen the new words.
func TestSearchUpkeep(t *testing.T) {
	s, f := searchFixture(t)
	ctx := context.Background()
	// No statistics yet: nothing to compare, nothing done.
	if ran, err := s.SearchUpkeep(ctx); err != nil || ran {
		t.Fatalf("upkeep before any ANALYZE: ran %v, %v; want nothing done", ran, err)
	}
	if err := s.TidySearch(ctx); err != nil {
		t.Fatal(err)
	}
	if ran, err := s.SearchUpkeep(ctx); err != nil || ran {
		t.Fatalf("upkeep after a rebuild: ran %v, %v; want nothing done", ran, err)
	}
	// The paper grows into other words: a few new ones are not enough...
	for i := range 3 {
		storetest.Publish(t, s, f.Business, fmt.Sprintf("Ferry %d", i), "The ferry left.", time.Duration(50+i)*time.Hour, nil)
	}
	analyze := func() {
		t.Helper()
		if _, err := s.pool.Exec(ctx, `ANALYZE article_search`); err != nil {
			t.Fatal(err)
		}
	}
	analyze()
	if ran, err := s.SearchUpkeep(ctx); err != nil || ran {
		t.Errorf("upkeep after 3 articles: ran %v, %v; want nothing done", ran, err)
	}
	// ...many are.
	for i := range 40 {
		storetest.Publish(t, s, f.Business, fmt.Sprintf("Rail strike %d", i),
			"Unions called the rail strike after talks with the ministry collapsed; commuters queued for buses and ferries.",
			time.Duration(60+i)*time.Hour, nil)
	}
	analyze()
	var before int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM search_common WHERE lexeme IN ('rail', 'strike', 'union')`).Scan(&before); err != nil || before != 0 {
		t.Fatalf("before the upkeep, search_common has %d of rail, strike, union (%v); want none", before, err)
	}
	if ran, err := s.SearchUpkeep(ctx); err != nil || !ran {
		t.Fatalf("upkeep after the paper grew: ran %v, %v; want a rebuild", ran, err)
	}
	var after int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM search_common WHERE lexeme IN ('rail', 'strike', 'union')`).Scan(&after); err != nil || after != 3 {
		t.Errorf("after the upkeep, search_common has %d of rail, strike, union (%v); want 3", after, err)
	}
	if n := masksOff(t, s); n != 0 {
		t.Errorf("%d articles' masks differ from search_common after the upkeep", n)
	}
	if ran, err := s.SearchUpkeep(ctx); err != nil || ran {
		t.Errorf("a second upkeep: ran %v, %v; want nothing done", ran, err)
	}
	// While another rebuild runs, the upkeep gives way.
	hold, err := s.pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer hold.Release()
	if _, err := hold.Exec(ctx, `SELECT pg_advisory_lock($1, hashtext(current_schema()))`, commonLock); err != nil {
		t.Fatal(err)
	}
	if _, err := s.pool.Exec(ctx, `DELETE FROM search_common WHERE lexeme IN ('rail', 'strike', 'union', 'ferri', 'bus', 'talk', 'ministri', 'commut', 'queu', 'call', 'collaps')`); err != nil {
		t.Fatal(err)
	}
	if ran, err := s.SearchUpkeep(ctx); err != nil || ran {
		t.Errorf("upkeep while another rebuild holds the lock: ran %v, %v; want it to give way", ran, err)
	}
	if _, err := hold.Exec(ctx, `SELECT pg_advisory_unlock($1, hashtext(current_schema()))`, commonLock); err != nil {
		t.Fatal(err)
	}
	if ran, err := s.SearchUpkeep(ctx); err != nil || !ran {
		t.Errorf("upkeep once the lock is free: ran %v, %v; want a rebuild", ran, err)
	}
}

// An article noted since the last rebuild and written again while the
// rebuild empties the notes is not lost between the two: the emptying
// waits for the writer's commit, so the write is in the build.
func TestTidySearchWaitsForNotedWriter(t *testing.T) {
	s, f := searchFixture(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := s.TidySearch(ctx); err != nil {
		t.Fatal(err)
	}
	a := storetest.Publish(t, s, f.Business, "Quiet quay", "Nothing to report.", 20*time.Minute, nil)
	a.Body, a.BodyText = "Nothing to report, again.", "Nothing to report, again." // noted
	if err := s.UpdateArticle(ctx, &a); err != nil {
		t.Fatal(err)
	}
	// Another server's editor saves it again, in a transaction not yet
	// committed: the words now have "crane", which has a bit.
	w, err := s.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Rollback(ctx)
	if _, err := w.Exec(ctx, `UPDATE articles SET body_text = 'A crane at the harbor.' WHERE id = $1`, a.ID); err != nil {
		t.Fatal(err)
	}
	built, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- s.tidySearch(ctx, func() { close(built); <-release })
	}()
	// Either the rebuild waits for the editor while it empties the notes
	// (right) or it gets as far as the build without (wrong).
	waited := false
	for !waited {
		select {
		case <-built:
			t.Error("the rebuild built its masks while a noted article's save was not committed")
			waited = true
		case err := <-done:
			t.Fatalf("the rebuild ended early: %v", err)
		case <-time.After(20 * time.Millisecond):
			var n int
			if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
				WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'DELETE FROM search_common_dirty%'`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			waited = n > 0
		}
	}
	if err := w.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	<-built
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := masksOff(t, s); n != 0 {
		t.Errorf("%d articles' masks differ from search_common after the rebuild", n)
	}
}

// A long transaction reading search's tables (pg_dump holds every table
// until it ends) does not hold the swap, and every search and save
// queued behind it, for its whole length: the swap asks a few times for
// a short while, then gives up and leaves the old masks in place; the
// next rebuild finishes.
func TestTidySearchGivesWayToLongReaders(t *testing.T) {
	s, f := searchFixture(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := s.TidySearch(ctx); err != nil {
		t.Fatal(err)
	}
	timeout, tries := swapLockTimeout, swapTries
	swapLockTimeout, swapTries = 100*time.Millisecond, 2
	t.Cleanup(func() { swapLockTimeout, swapTries = timeout, tries })

	backup, err := s.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer backup.Rollback(ctx)
	if _, err := backup.Exec(ctx, `SELECT count(*) FROM article_common`); err != nil {
		t.Fatal(err)
	}
	err = s.TidySearch(ctx)
	if err == nil || !strings.Contains(err.Error(), "a backup?") {
		t.Fatalf("rebuild beside a long reader: %v; want it to give up", err)
	}
	// The old masks still serve, and still follow new articles.
	storetest.Publish(t, s, f.Business, "Crane at dusk", "The harbor crane stopped.", time.Minute, nil)
	if n := masksOff(t, s); n != 0 {
		t.Errorf("after the rebuild gave up: %d articles' masks differ from search_common", n)
	}
	s.searchTest.walk = 1000
	if res, err := s.Search(ctx, news.SearchQuery{Text: "harbor crane"}); err != nil || len(res.Hits) == 0 || res.Hits[0].Article.Headline != "Crane at dusk" {
		t.Errorf("masked walk after the rebuild gave up: %v, %v", res.Hits, err)
	}
	if err := backup.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.TidySearch(ctx); err != nil {
		t.Fatalf("rebuild once the reader ended: %v", err)
	}
	var left int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM pg_class
		WHERE relname IN ('article_common_next', 'search_common_next') AND relnamespace = current_schema()::regnamespace`).Scan(&left); err != nil || left != 0 {
		t.Errorf("build tables left: %d (%v)", left, err)
	}
	if n := masksOff(t, s); n != 0 {
		t.Errorf("after the next rebuild: %d articles' masks differ from search_common", n)
	}
}
