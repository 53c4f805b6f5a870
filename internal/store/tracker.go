package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"byline/internal/news"
)

// The term tracker's storage. Triggers (per engine, in the migrations)
// queue every article whose text, status, date, section, tags or bylines
// change; IndexTrackerQueue turns the queue into tracker_docs (one row of
// tokens per published article, with the engine's full-text index over
// it) and keeps tracker_totals, the published articles per scope and
// day. Counting a phrase is then one indexed query per phrase; shares
// divide by the totals, never by a second search.

// trackerScopeKeys are the keys an article is counted under in
// tracker_totals.
func trackerScopeKeys(sectionID int64, authors []int64, tags []string) []string {
	keys := []string{"*", "s:" + strconv.FormatInt(sectionID, 10)}
	for _, a := range authors {
		keys = append(keys, "a:"+strconv.FormatInt(a, 10))
	}
	for _, t := range tags {
		keys = append(keys, "t:"+t)
	}
	return keys
}

// trackerLock serialises the indexer with the caching of counts (on
// engines with several writers): a count computed before a document
// changed must not be cached after the change dropped its day.
const trackerLock int64 = 0x62796c696e6570

type trackerKey struct {
	scope string
	day   int
}

// IndexTrackerQueue implements news.TrackerStore.
func (db *DB) IndexTrackerQueue(ctx context.Context, loc *time.Location, limit int) (int, error) {
	if loc == nil {
		loc = time.UTC
	}
	if err := db.trackerZone(ctx, loc); err != nil {
		return 0, err
	}
	// In the order of the articles' dates, so that a batch rewrites each
	// of its days' rows of tracker_posts once.
	rows, err := db.Query(ctx, `SELECT q.article_id, a.published_at FROM tracker_queue q LEFT JOIN articles a ON a.id = q.article_id
		ORDER BY a.published_at, q.article_id LIMIT ?`, limit)
	type queued struct {
		id  int64
		day int
	}
	ids, err := collect(rows, err, func(r *sql.Rows) (queued, error) {
		var x queued
		var at time.Time
		if err := r.Scan(&x.id, Time(&at)); err != nil {
			return x, err
		}
		if !at.IsZero() {
			x.day = int(news.DayOf(at, loc))
		}
		return x, nil
	})
	if err != nil {
		return 0, fmt.Errorf("tracker queue: %w", err)
	}
	if len(ids) == 0 {
		return 0, nil
	}
	if err := db.prepareWrites(ctx, append(postsStatements(), trackerIndexStatements...)...); err != nil {
		return 0, fmt.Errorf("tracker index: %w", err)
	}
	done := 0
	for len(ids) > 0 {
		// Batches share a transaction (one commit for many articles) but
		// stay short, so that publishing never waits long behind the
		// indexer; a batch ends where a day does when it can, so that
		// each day's rows of tracker_posts are written once, not once
		// for each batch that holds some of its articles.
		n := min(trackerBatchMax, len(ids))
		if n < len(ids) {
			for j := n; j > trackerBatchMin; j-- {
				if ids[j].day != ids[j-1].day {
					n = j
					break
				}
			}
		}
		chunk := ids[:n]
		ids = ids[n:]
		err := db.InTx(ctx, func(tx Tx) error {
			if err := tx.Lock(ctx, trackerLock); err != nil {
				return err
			}
			delta := map[trackerKey]int{}
			posts := newPostChanges()
			list := make([]int64, len(chunk))
			for i, x := range chunk {
				list[i] = x.id
			}
			batch, err := readTrackerBatch(ctx, tx, list)
			if err != nil {
				return fmt.Errorf("tracker index: %w", err)
			}
			for _, x := range chunk {
				ok, err := indexTrackerArticle(ctx, tx, loc, x.id, batch, delta, posts)
				if err != nil {
					return fmt.Errorf("index article %d for the tracker: %w", x.id, err)
				}
				if ok {
					done++
				}
			}
			if err := posts.apply(ctx, tx); err != nil {
				return err
			}
			// Days whose documents changed: their cached counts go, and
			// the generation moves so that no count computed before this
			// commit is cached after it.
			days := map[int]bool{}
			for k := range delta {
				days[k.day] = true
			}
			if len(days) > 0 {
				var list []int64
				for d := range days {
					list = append(list, int64(d))
				}
				if _, err := tx.Exec(ctx, `DELETE FROM tracker_counts WHERE day IN (`+intList(list)+`)`); err != nil {
					return fmt.Errorf("tracker counts: %w", err)
				}
				if _, err := tx.Exec(ctx, `UPDATE tracker_meta SET gen = gen + 1 WHERE id = 1`); err != nil {
					return fmt.Errorf("tracker generation: %w", err)
				}
			}
			keys := make([]trackerKey, 0, len(delta))
			for k, v := range delta {
				if v != 0 {
					keys = append(keys, k)
				}
			}
			// The same order on every server: no deadlock between two.
			sort.Slice(keys, func(i, j int) bool {
				if keys[i].scope != keys[j].scope {
					return keys[i].scope < keys[j].scope
				}
				return keys[i].day < keys[j].day
			})
			for _, k := range keys {
				if _, err := tx.Exec(ctx, trackerTotalsAdd, k.scope, k.day, delta[k]); err != nil {
					return fmt.Errorf("tracker totals: %w", err)
				}
			}
			return nil
		})
		if err != nil {
			return done, err
		}
	}
	return done, nil
}

// A batch of the indexer: at most trackerBatchMax articles, ending at
// the last change of day after trackerBatchMin of them.
const (
	trackerBatchMin = 32
	trackerBatchMax = 256
)

// The indexer's statements of fixed text, kept prepared (prepareWrites)
// with tracker_posts' (postsStatements): SQLite would parse each again
// for every article.
const (
	trackerDocDelete  = `DELETE FROM tracker_docs WHERE article_id = ?`
	trackerDocInsert  = `INSERT INTO tracker_docs(article_id, day, section_id, scopes, toks) VALUES (?, ?, ?, ?, ?)`
	trackerDocUpdate  = `UPDATE tracker_docs SET day = ?, section_id = ?, scopes = ?, toks = ? WHERE article_id = ?`
	trackerDocRescope = `UPDATE tracker_docs SET day = ?, section_id = ?, scopes = ? WHERE article_id = ?`
	trackerTotalsAdd  = `INSERT INTO tracker_totals(scope, day, articles) VALUES (?, ?, ?)
		ON CONFLICT (scope, day) DO UPDATE SET articles = tracker_totals.articles + excluded.articles`
)

var trackerIndexStatements = []string{trackerDocDelete, trackerDocInsert, trackerDocUpdate, trackerDocRescope, trackerTotalsAdd}

// trackerZone records the zone the tracker's days are cut in; when it
// changes, every indexed article is queued again (its day, totals and
// postings follow the new zone) and the kept counts go.
func (db *DB) trackerZone(ctx context.Context, loc *time.Location) error {
	name := loc.String()
	if _, ok := db.trackerZones.Load(name); ok {
		return nil
	}
	err := db.InTx(ctx, func(tx Tx) error {
		if err := tx.Lock(ctx, trackerLock); err != nil {
			return err
		}
		var zone string
		if err := tx.QueryRow(ctx, `SELECT zone FROM tracker_meta WHERE id = 1`).Scan(&zone); err != nil {
			return err
		}
		if zone == name {
			return nil
		}
		if zone != "" {
			if _, err := tx.Exec(ctx, `INSERT INTO tracker_queue(article_id) SELECT article_id FROM tracker_docs WHERE true ON CONFLICT DO NOTHING`); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `DELETE FROM tracker_counts`); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `UPDATE tracker_meta SET zone = ?, gen = gen + 1 WHERE id = 1`, name)
		return err
	})
	if err != nil {
		return fmt.Errorf("tracker time zone: %w", err)
	}
	db.trackerZones.Store(name, true)
	return nil
}

// trackerBatch is what the indexer reads of a batch's articles, each
// read in one statement for the whole batch (a round trip each on
// PostgreSQL, not five per article).
type trackerBatch struct {
	taken    map[int64]bool // off the queue by this batch
	docs     map[int64]trackerDoc
	articles map[int64]trackerArticle
	authors  map[int64][]int64
	tags     map[int64][]string
}

type trackerDoc struct {
	day          int
	scopes, toks string
}

type trackerArticle struct {
	status                  string
	published               time.Time
	section                 int64
	headline, dek, bodyText string
}

// readTrackerBatch takes ids off the queue (those another server took
// first are not in taken) and reads their documents, articles, authors
// and tags.
func readTrackerBatch(ctx context.Context, tx Tx, ids []int64) (trackerBatch, error) {
	b := trackerBatch{taken: map[int64]bool{}, docs: map[int64]trackerDoc{}, articles: map[int64]trackerArticle{},
		authors: map[int64][]int64{}, tags: map[int64][]string{}}
	in := intList(ids)
	rows, err := tx.Query(ctx, `DELETE FROM tracker_queue WHERE article_id IN (`+in+`) RETURNING article_id`)
	taken, err := collect(rows, err, func(r *sql.Rows) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
	if err != nil {
		return b, err
	}
	if len(taken) == 0 {
		return b, nil
	}
	for _, id := range taken {
		b.taken[id] = true
	}
	in = intList(taken)
	rows, err = tx.Query(ctx, `SELECT article_id, day, scopes, toks FROM tracker_docs WHERE article_id IN (`+in+`)`)
	if err == nil {
		_, err = collect(rows, err, func(r *sql.Rows) (struct{}, error) {
			var id int64
			var d trackerDoc
			err := r.Scan(&id, &d.day, &d.scopes, &d.toks)
			b.docs[id] = d
			return struct{}{}, err
		})
	}
	if err != nil {
		return b, err
	}
	rows, err = tx.Query(ctx, `SELECT id, status, published_at, section_id, headline, dek, body_text FROM articles WHERE id IN (`+in+`)`)
	if err == nil {
		_, err = collect(rows, err, func(r *sql.Rows) (struct{}, error) {
			var id int64
			var a trackerArticle
			err := r.Scan(&id, &a.status, Time(&a.published), &a.section, &a.headline, &a.dek, &a.bodyText)
			b.articles[id] = a
			return struct{}{}, err
		})
	}
	if err != nil {
		return b, err
	}
	rows, err = tx.Query(ctx, `SELECT article_id, author_id FROM article_authors WHERE article_id IN (`+in+`) ORDER BY article_id, author_id`)
	if err == nil {
		_, err = collect(rows, err, func(r *sql.Rows) (struct{}, error) {
			var id, au int64
			err := r.Scan(&id, &au)
			b.authors[id] = append(b.authors[id], au)
			return struct{}{}, err
		})
	}
	if err != nil {
		return b, err
	}
	rows, err = tx.Query(ctx, `SELECT article_id, tag FROM article_tags WHERE article_id IN (`+in+`) ORDER BY article_id, tag`)
	if err == nil {
		_, err = collect(rows, err, func(r *sql.Rows) (struct{}, error) {
			var id int64
			var tag string
			err := r.Scan(&id, &tag)
			b.tags[id] = append(b.tags[id], tag)
			return struct{}{}, err
		})
	}
	return b, err
}

// indexTrackerArticle updates the document of an article the batch took
// off the queue (false when another server took it first) and adds what
// it changes in the totals to delta.
func indexTrackerArticle(ctx context.Context, tx Tx, loc *time.Location, id int64, b trackerBatch, delta map[trackerKey]int, posts *postChanges) (bool, error) {
	if !b.taken[id] {
		return false, nil
	}
	old, had := b.docs[id]
	if had {
		for _, k := range strings.Split(old.scopes, "\n") {
			delta[trackerKey{k, old.day}]--
		}
	}
	a, ok := b.articles[id]
	if !ok || news.Status(a.status) != news.StatusPublished || a.published.IsZero() {
		posts.article(id, had, old.day, old.toks, false, 0, nil)
		if had {
			if _, err := tx.Exec(ctx, trackerDocDelete, id); err != nil {
				return false, err
			}
		}
		return true, nil
	}
	day := int(news.DayOf(a.published, loc))
	keys := trackerScopeKeys(a.section, b.authors[id], b.tags[id])
	for _, k := range keys {
		delta[trackerKey{k, day}]++
	}
	scopes := strings.Join(keys, "\n")
	tokens := news.TrackerTokens(a.headline + "\n" + a.dek + "\n" + a.bodyText)
	posts.article(id, had, old.day, old.toks, true, day, tokens)
	toks := news.TrackerDoc(tokens)
	var err error
	switch {
	case !had:
		_, err = tx.Exec(ctx, trackerDocInsert, id, day, a.section, scopes, toks)
	case toks != old.toks:
		_, err = tx.Exec(ctx, trackerDocUpdate, day, a.section, scopes, toks, id)
	default:
		_, err = tx.Exec(ctx, trackerDocRescope, day, a.section, scopes, id)
	}
	return err == nil, err
}

// TrackerQueueLen implements news.TrackerStore.
func (db *DB) TrackerQueueLen(ctx context.Context) (int, error) {
	var n int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM tracker_queue`).Scan(&n); err != nil {
		return 0, fmt.Errorf("tracker queue: %w", err)
	}
	return n, nil
}

// trackerFilter is the part of a count's WHERE clause that every phrase
// shares: days, scope, and (for readers) what is not visible yet.
type trackerFilter struct {
	where string
	args  []any
	// sections of a section scope (the section and its subtree).
	sections []int64
}

func (db *DB) trackerFilter(ctx context.Context, q news.TrackerCountQuery) (trackerFilter, error) {
	return db.trackerFilterOf(ctx, q, nil)
}

// trackerFilterOf is trackerFilter; with only, it keeps just those
// articles (and q.Editor decides whether hidden ones are dropped).
func (db *DB) trackerFilterOf(ctx context.Context, q news.TrackerCountQuery, only []int64) (trackerFilter, error) {
	var f trackerFilter
	var b strings.Builder
	b.WriteString(` AND d.day >= ? AND d.day < ?`)
	f.args = append(f.args, int(q.From), int(q.To))
	switch q.Scope.Kind {
	case news.ScopeSection:
		ids, err := db.sectionSubtree(ctx, q.Scope.SectionID)
		if err != nil {
			return f, err
		}
		f.sections = ids
		b.WriteString(` AND d.section_id IN (` + intList(ids) + `)`)
	case news.ScopeAuthor:
		b.WriteString(` AND EXISTS (SELECT 1 FROM article_authors x WHERE x.article_id = d.article_id AND x.author_id = ?)`)
		f.args = append(f.args, q.Scope.AuthorID)
	case news.ScopeTag:
		b.WriteString(` AND EXISTS (SELECT 1 FROM article_tags x WHERE x.article_id = d.article_id AND x.tag = ?)`)
		f.args = append(f.args, q.Scope.Tag)
	}
	if only != nil {
		b.WriteString(` AND d.article_id IN (` + intList(only) + `)`)
	}
	if !q.Editor {
		hidden, err := db.trackerHidden(ctx, q.Now)
		if err != nil {
			return f, err
		}
		if len(hidden) > 0 {
			b.WriteString(` AND d.article_id NOT IN (` + intList(hidden) + `)`)
		}
	}
	f.where = b.String()
	return f, nil
}

// trackerHidden lists published articles readers cannot see yet (dated
// in the future or under embargo): few, and found through indexes.
func (db *DB) trackerHidden(ctx context.Context, now time.Time) ([]int64, error) {
	if now.IsZero() {
		now = time.Now()
	}
	rows, err := db.Query(ctx, `SELECT id FROM articles WHERE status = 'published' AND published_at > ?
		UNION SELECT id FROM articles WHERE embargo_until > ? AND status = 'published'`, now, now)
	ids, err := collect(rows, err, func(r *sql.Rows) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
	if err != nil {
		return nil, fmt.Errorf("tracker: hidden articles: %w", err)
	}
	return ids, nil
}

// sectionSubtree is a section and every section under it.
func (db *DB) sectionSubtree(ctx context.Context, id int64) ([]int64, error) {
	rows, err := db.Query(ctx, `SELECT id, COALESCE(parent_id, 0) FROM sections`)
	pairs, err := collect(rows, err, func(r *sql.Rows) ([2]int64, error) {
		var p [2]int64
		return p, r.Scan(&p[0], &p[1])
	})
	if err != nil {
		return nil, fmt.Errorf("tracker: sections: %w", err)
	}
	children := map[int64][]int64{}
	found := false
	for _, p := range pairs {
		children[p[1]] = append(children[p[1]], p[0])
		found = found || p[0] == id
	}
	if !found {
		return nil, news.NotFound("section")
	}
	out := []int64{id}
	for i := 0; i < len(out); i++ {
		out = append(out, children[out[i]]...)
	}
	return out, nil
}

func intList(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}

// occurrencesSQL counts a phrase's occurrences in d.toks: each occurrence
// of the phrase's bars-and-tokens form is removed by replace, and no two
// occurrences share a character (see news.TrackerDoc).
const occurrencesSQL = `(length(d.toks) - length(replace(d.toks, ?, ''))) / ?`

// TrackerCounts implements news.TrackerStore.
//
// Counting a common phrase over a large archive reads every matching
// document, so the counts of every published article (what an editor
// sees) are kept per phrase, scope and day in tracker_counts: a day is
// counted once and kept until the indexer changes one of its documents.
// A chart asks only for the days it has not seen (usually today), and
// readers' counts take back what they cannot see yet (a few embargoed
// or future-dated articles, counted live).
func (db *DB) TrackerCounts(ctx context.Context, q news.TrackerCountQuery) ([][]news.TrackerDayCount, error) {
	out := make([][]news.TrackerDayCount, len(q.Phrases))
	var hidden []int64
	if !q.Editor {
		var err error
		if hidden, err = db.trackerHidden(ctx, q.Now); err != nil {
			return nil, err
		}
	}
	// Phrases are counted at the same time, each on its own connection:
	// a phrase not asked before reads every article that contains it.
	errs := make([]error, len(q.Phrases))
	var wg sync.WaitGroup
	for i, p := range q.Phrases {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i], errs[i] = db.phraseCounts(ctx, q, p, hidden)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// phraseCounts is one phrase's days with articles, for q's reader.
func (db *DB) phraseCounts(ctx context.Context, q news.TrackerCountQuery, p news.TrackerPhrase, hidden []int64) ([]news.TrackerDayCount, error) {
	days, err := db.cachedCounts(ctx, q, p)
	if err != nil {
		return nil, err
	}
	if len(hidden) > 0 {
		less, err := db.liveCounts(ctx, q, p, q.From, q.To, hidden)
		if err != nil {
			return nil, err
		}
		for j := range days {
			c := less[days[j].Day]
			days[j].Articles -= c.Articles
			days[j].Occurrences -= c.Occurrences
		}
	}
	var out []news.TrackerDayCount
	for _, d := range days {
		if d.Articles > 0 {
			out = append(out, d)
		}
	}
	return out, nil
}

// liveCounts counts one phrase per day of [lo, hi) in q's scope as an
// editor does (every published article), from the tracker's own index;
// with only, just those articles.
func (db *DB) liveCounts(ctx context.Context, q news.TrackerCountQuery, p news.TrackerPhrase, lo, hi news.TrackerDay, only []int64) (map[news.TrackerDay]news.TrackerDayCount, error) {
	keep, err := db.trackerScopeSet(ctx, q.Scope, lo, hi)
	if err != nil {
		return nil, err
	}
	if only != nil {
		in := articleSet{}
		for _, id := range only {
			if keep == nil || keep[id] {
				in[id] = true
			}
		}
		keep = in
	}
	return db.postCounts(ctx, p, lo, hi, keep, nil)
}

// trackerScopeSet is the articles of a scope (nil: the whole archive).
func (db *DB) trackerScopeSet(ctx context.Context, s news.TrackerScope, lo, hi news.TrackerDay) (articleSet, error) {
	var rows *sql.Rows
	var err error
	switch s.Kind {
	case news.ScopeSection:
		var ids []int64
		if ids, err = db.sectionSubtree(ctx, s.SectionID); err != nil {
			return nil, err
		}
		rows, err = db.Query(ctx, `SELECT article_id FROM tracker_docs WHERE section_id IN (`+intList(ids)+`) AND day >= ? AND day < ?`, int(lo), int(hi))
	case news.ScopeAuthor:
		rows, err = db.Query(ctx, `SELECT article_id FROM article_authors WHERE author_id = ?`, s.AuthorID)
	case news.ScopeTag:
		rows, err = db.Query(ctx, `SELECT article_id FROM article_tags WHERE tag = ?`, s.Tag)
	default:
		return nil, nil
	}
	ids, err := collect(rows, err, func(r *sql.Rows) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
	if err != nil {
		return nil, fmt.Errorf("tracker scope: %w", err)
	}
	set := make(articleSet, len(ids))
	for _, id := range ids {
		set[id] = true
	}
	return set, nil
}

// trackerCacheKey names a phrase in a scope in tracker_counts.
func trackerCacheKey(s news.TrackerScope, p news.TrackerPhrase) string {
	switch s.Kind {
	case news.ScopeSection:
		return "s:" + strconv.FormatInt(s.SectionID, 10) + " " + p.Pattern()
	case news.ScopeAuthor:
		return "a:" + strconv.FormatInt(s.AuthorID, 10) + " " + p.Pattern()
	case news.ScopeTag:
		return "t:" + s.Tag + " " + p.Pattern()
	}
	return "* " + p.Pattern()
}

// cachedCounts gives every day of [From, To) (zeros included) as an
// editor counts it, from tracker_counts, counting and keeping the days it
// lacks.
func (db *DB) cachedCounts(ctx context.Context, q news.TrackerCountQuery, p news.TrackerPhrase) ([]news.TrackerDayCount, error) {
	key := trackerCacheKey(q.Scope, p)
	if err := db.markAsked(ctx, key); err != nil {
		return nil, err
	}
	var gen int64
	if err := db.QueryRow(ctx, `SELECT gen FROM tracker_meta WHERE id = 1`).Scan(&gen); err != nil {
		return nil, fmt.Errorf("tracker generation: %w", err)
	}
	rows, err := db.Query(ctx, `SELECT day, articles, occurrences FROM tracker_counts WHERE phrase = ? AND day >= ? AND day < ?`, key, int(q.From), int(q.To))
	kept, err := collect(rows, err, func(r *sql.Rows) (news.TrackerDayCount, error) {
		var c news.TrackerDayCount
		return c, r.Scan(&c.Day, &c.Articles, &c.Occurrences)
	})
	if err != nil {
		return nil, fmt.Errorf("tracker counts: %w", err)
	}
	have := make(map[news.TrackerDay]news.TrackerDayCount, len(kept))
	for _, c := range kept {
		have[c.Day] = c
	}
	lo, hi := q.To, q.From
	for d := q.From; d < q.To; d++ {
		if _, ok := have[d]; !ok {
			lo, hi = min(lo, d), max(hi, d+1)
		}
	}
	var fresh []news.TrackerDayCount
	if lo < hi {
		live, err := db.liveCounts(ctx, q, p, lo, hi, nil)
		if err != nil {
			return nil, err
		}
		for d := lo; d < hi; d++ {
			if _, ok := have[d]; ok {
				continue
			}
			c := live[d]
			c.Day = d
			have[d] = c
			fresh = append(fresh, c)
		}
		if err := db.keepCounts(ctx, key, gen, fresh); err != nil {
			return nil, err
		}
	}
	out := make([]news.TrackerDayCount, 0, int(q.To-q.From))
	for d := q.From; d < q.To; d++ {
		out = append(out, have[d])
	}
	return out, nil
}

// markAsked records that key's counts were asked for (at most once an
// hour per key and process).
func (db *DB) markAsked(ctx context.Context, key string) error {
	now := time.Now()
	if last, ok := db.trackerAsked.Load(key); ok && now.Sub(last.(time.Time)) < time.Hour {
		return nil
	}
	if _, err := db.Exec(ctx, `INSERT INTO tracker_asked(phrase, asked_at) VALUES (?, ?)
		ON CONFLICT (phrase) DO UPDATE SET asked_at = excluded.asked_at`, key, now.UTC().Truncate(time.Millisecond)); err != nil {
		return fmt.Errorf("tracker asked: %w", err)
	}
	db.trackerAsked.Store(key, now)
	return nil
}

// PruneTrackerCounts implements news.TrackerStore.
func (db *DB) PruneTrackerCounts(ctx context.Context, before time.Time) (int, error) {
	db.trackerAsked.Clear()
	res, err := db.Exec(ctx, `DELETE FROM tracker_counts WHERE phrase NOT IN (SELECT phrase FROM tracker_asked WHERE asked_at >= ?)`, before)
	if err != nil {
		return 0, fmt.Errorf("prune tracker counts: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	if _, err := db.Exec(ctx, `DELETE FROM tracker_asked WHERE asked_at < ?`, before); err != nil {
		return 0, fmt.Errorf("prune tracker counts: %w", err)
	}
	return int(n), nil
}

// keepCounts stores counts made at generation gen, unless the indexer has
// changed documents since (then the next question counts them again).
func (db *DB) keepCounts(ctx context.Context, key string, gen int64, counts []news.TrackerDayCount) error {
	return db.InTx(ctx, func(tx Tx) error {
		if err := tx.Lock(ctx, trackerLock); err != nil {
			return err
		}
		var now int64
		if err := tx.QueryRow(ctx, `SELECT gen FROM tracker_meta WHERE id = 1`).Scan(&now); err != nil {
			return fmt.Errorf("tracker generation: %w", err)
		}
		if now != gen {
			return nil
		}
		for len(counts) > 0 {
			n := min(len(counts), 200)
			var b strings.Builder
			args := make([]any, 0, 4*n)
			for i, c := range counts[:n] {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString("(?, ?, ?, ?)")
				args = append(args, key, int(c.Day), c.Articles, c.Occurrences)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO tracker_counts(phrase, day, articles, occurrences) VALUES `+b.String()+` ON CONFLICT DO NOTHING`, args...); err != nil {
				return fmt.Errorf("keep tracker counts: %w", err)
			}
			counts = counts[n:]
		}
		return nil
	})
}

// TrackerTotals implements news.TrackerStore.
func (db *DB) TrackerTotals(ctx context.Context, q news.TrackerCountQuery) ([]news.TrackerDayCount, error) {
	var keys []string
	switch q.Scope.Kind {
	case news.ScopeSection:
		ids, err := db.sectionSubtree(ctx, q.Scope.SectionID)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			keys = append(keys, "s:"+strconv.FormatInt(id, 10))
		}
	case news.ScopeAuthor:
		keys = []string{"a:" + strconv.FormatInt(q.Scope.AuthorID, 10)}
	case news.ScopeTag:
		keys = []string{"t:" + q.Scope.Tag}
	default:
		keys = []string{"*"}
	}
	args := []any{}
	marks := make([]string, len(keys))
	for i, k := range keys {
		marks[i] = "?"
		args = append(args, k)
	}
	args = append(args, int(q.From), int(q.To))
	rows, err := db.Query(ctx, `SELECT day, sum(articles) FROM tracker_totals WHERE scope IN (`+strings.Join(marks, ",")+`) AND day >= ? AND day < ? GROUP BY day ORDER BY day`, args...)
	totals, err := collect(rows, err, func(r *sql.Rows) (news.TrackerDayCount, error) {
		var c news.TrackerDayCount
		return c, r.Scan(&c.Day, &c.Articles)
	})
	if err != nil {
		return nil, fmt.Errorf("tracker totals: %w", err)
	}
	if q.Editor {
		return dropEmpty(totals), nil
	}
	// Readers: take back what they cannot see yet.
	hidden, err := db.trackerHidden(ctx, q.Now)
	if err != nil || len(hidden) == 0 {
		return dropEmpty(totals), err
	}
	rows, err = db.Query(ctx, `SELECT day, scopes FROM tracker_docs WHERE article_id IN (`+intList(hidden)+`) AND day >= ? AND day < ?`, int(q.From), int(q.To))
	type doc struct {
		day    news.TrackerDay
		scopes string
	}
	docs, err := collect(rows, err, func(r *sql.Rows) (doc, error) {
		var d doc
		return d, r.Scan(&d.day, &d.scopes)
	})
	if err != nil {
		return nil, fmt.Errorf("tracker totals: %w", err)
	}
	want := map[string]bool{}
	for _, k := range keys {
		want[k] = true
	}
	less := map[news.TrackerDay]int{}
	for _, d := range docs {
		for _, k := range strings.Split(d.scopes, "\n") {
			if want[k] {
				less[d.day]++
			}
		}
	}
	for i := range totals {
		totals[i].Articles -= less[totals[i].Day]
	}
	return dropEmpty(totals), nil
}

func dropEmpty(in []news.TrackerDayCount) []news.TrackerDayCount {
	out := in[:0]
	for _, c := range in {
		if c.Articles > 0 {
			out = append(out, c)
		}
	}
	return out
}

// TrackerArticles implements news.TrackerStore.
func (db *DB) TrackerArticles(ctx context.Context, q news.TrackerCountQuery, limit int) ([]news.TrackerArticle, error) {
	if len(q.Phrases) == 0 {
		return nil, news.Invalid("phrases", "give a phrase")
	}
	f, err := db.trackerFilter(ctx, q)
	if err != nil {
		return nil, err
	}
	p := q.Phrases[0]
	cond, arg := db.d.TrackerMatch(p.Tokens)
	pat := p.Pattern()
	args := append([]any{pat, utf8.RuneCountInString(pat), arg}, f.args...)
	args = append(args, limit)
	rows, err := db.Query(ctx, `SELECT a.id, a.slug, a.headline, a.published_at, `+occurrencesSQL+` AS n, a.dek, a.body_text
		FROM tracker_docs d JOIN articles a ON a.id = d.article_id
		WHERE `+cond+f.where+` ORDER BY n DESC, a.published_at DESC, a.id DESC LIMIT ?`, args...)
	out, err := collect(rows, err, func(r *sql.Rows) (news.TrackerArticle, error) {
		var a news.TrackerArticle
		var dek, body string
		err := r.Scan(&a.ID, &a.Slug, &a.Headline, Time(&a.PublishedAt), &a.Occurrences, &dek, &body)
		a.Text = a.Headline + "\n" + dek + "\n" + body
		return a, err
	})
	if err != nil {
		return nil, fmt.Errorf("tracker articles: %w", err)
	}
	return out, nil
}

const trackerCols = `id, slug, title, phrases, interval, measure, share, scope_kind, scope_id, scope_tag, buckets, published, alerts, created_at, updated_at`

func scanTracker(r interface{ Scan(...any) error }) (news.Tracker, error) {
	var t news.Tracker
	var phrases string
	var scopeID int64
	err := r.Scan(&t.ID, &t.Slug, &t.Title, &phrases, &t.Interval, &t.Measure, &t.Share, &t.Scope.Kind, &scopeID, &t.Scope.Tag,
		&t.Buckets, &t.Published, &t.Alerts, Time(&t.CreatedAt), Time(&t.UpdatedAt))
	t.Phrases = strings.Split(phrases, "\n")
	switch t.Scope.Kind {
	case news.ScopeSection:
		t.Scope.SectionID = scopeID
	case news.ScopeAuthor:
		t.Scope.AuthorID = scopeID
	}
	return t, err
}

func trackerScopeID(s news.TrackerScope) int64 {
	return s.SectionID + s.AuthorID // only one of them is set
}

// CreateTracker implements news.TrackerStore.
func (db *DB) CreateTracker(ctx context.Context, t *news.Tracker) error {
	if err := t.Validate(); err != nil {
		return err
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	id, err := db.Insert(ctx, `INSERT INTO trackers(slug, title, phrases, interval, measure, share, scope_kind, scope_id, scope_tag, buckets, published, alerts, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		t.Slug, t.Title, strings.Join(t.Phrases, "\n"), string(t.Interval), string(t.Measure), t.Share, t.Scope.Kind, trackerScopeID(t.Scope), t.Scope.Tag,
		t.Buckets, t.Published, t.Alerts, now, now)
	if db.isUnique(err) {
		return news.Errorf(news.KindConflict, "a tracker at /tracker/%s already exists", t.Slug)
	}
	if err != nil {
		return fmt.Errorf("create tracker: %w", err)
	}
	t.ID, t.CreatedAt, t.UpdatedAt = id, now, now
	return nil
}

// UpdateTracker implements news.TrackerStore.
func (db *DB) UpdateTracker(ctx context.Context, t *news.Tracker) error {
	if err := t.Validate(); err != nil {
		return err
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	res, err := db.Exec(ctx, `UPDATE trackers SET slug = ?, title = ?, phrases = ?, interval = ?, measure = ?, share = ?, scope_kind = ?, scope_id = ?, scope_tag = ?,
		buckets = ?, published = ?, alerts = ?, updated_at = ? WHERE id = ?`,
		t.Slug, t.Title, strings.Join(t.Phrases, "\n"), string(t.Interval), string(t.Measure), t.Share, t.Scope.Kind, trackerScopeID(t.Scope), t.Scope.Tag,
		t.Buckets, t.Published, t.Alerts, now, t.ID)
	if db.isUnique(err) {
		return news.Errorf(news.KindConflict, "a tracker at /tracker/%s already exists", t.Slug)
	}
	if err != nil {
		return fmt.Errorf("update tracker: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.NotFound("tracker")
	}
	t.UpdatedAt = now
	return nil
}

// DeleteTracker implements news.TrackerStore.
func (db *DB) DeleteTracker(ctx context.Context, id int64) error {
	res, err := db.Exec(ctx, `DELETE FROM trackers WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete tracker: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.NotFound("tracker")
	}
	return nil
}

// TrackerByID implements news.TrackerStore.
func (db *DB) TrackerByID(ctx context.Context, id int64) (news.Tracker, error) {
	t, err := scanTracker(db.QueryRow(ctx, `SELECT `+trackerCols+` FROM trackers WHERE id = ?`, id))
	return t, notFoundOr(err, "tracker")
}

// TrackerBySlug implements news.TrackerStore.
func (db *DB) TrackerBySlug(ctx context.Context, slug string) (news.Tracker, error) {
	t, err := scanTracker(db.QueryRow(ctx, `SELECT `+trackerCols+` FROM trackers WHERE slug = ?`, slug))
	return t, notFoundOr(err, "tracker")
}

// ListTrackers implements news.TrackerStore.
func (db *DB) ListTrackers(ctx context.Context) ([]news.Tracker, error) {
	rows, err := db.Query(ctx, `SELECT `+trackerCols+` FROM trackers ORDER BY title, id`)
	out, err := collect(rows, err, func(r *sql.Rows) (news.Tracker, error) { return scanTracker(r) })
	if err != nil {
		return nil, fmt.Errorf("list trackers: %w", err)
	}
	return out, nil
}

// MarkTrackerSpike implements news.TrackerStore.
func (db *DB) MarkTrackerSpike(ctx context.Context, trackerID int64, phrase string, day news.TrackerDay, at time.Time) (bool, error) {
	res, err := db.Exec(ctx, `INSERT INTO tracker_spikes(tracker_id, phrase, day, at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`, trackerID, phrase, int(day), at)
	if err != nil {
		return false, fmt.Errorf("mark tracker spike: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
