package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"byline/internal/news"
)

const storyCols = `s.id, s.slug, s.title, s.standfirst, s.summary, s.summary_version, s.status, COALESCE(s.section_id, 0), s.live,
	s.coverage_start, s.created_at, s.updated_at, s.last_entry_at, s.version`

func storyDest(st *news.Story) []any {
	return []any{&st.ID, &st.Slug, &st.Title, &st.Standfirst, &st.Summary, &st.SummaryVersion, &st.Status, &st.SectionID, &st.Live,
		Time(&st.CoverageStart), Time(&st.CreatedAt), Time(&st.UpdatedAt), Time(&st.LastEntryAt), &st.Version}
}

// entryCols reads an entry and, for an article entry, what a list shows of
// the article; from story_entries e LEFT JOIN articles a.
const entryCols = `e.id, e.story_id, e.kind, COALESCE(e.article_id, 0), e.body, e.image_url, e.image_alt, e.embed, e.event_at,
	e.published_at, e.pinned, e.created_by, COALESCE(a.slug, ''), COALESCE(a.headline, ''), COALESCE(a.dek, ''),
	COALESCE(a.section_id, 0), a.published_at, COALESCE(a.image_url, ''), COALESCE(a.image_alt, '')`

type entryScan struct {
	e       news.StoryEntry
	a       news.Article
	img     news.Image
	aimgURL string
	aimgAlt string
}

func (x *entryScan) dest() []any {
	return []any{&x.e.ID, &x.e.StoryID, &x.e.Kind, &x.e.ArticleID, &x.e.Text, &x.img.URL, &x.img.Alt, &x.e.Embed, Time(&x.e.EventAt),
		Time(&x.e.PublishedAt), &x.e.Pinned, &x.e.CreatedBy, &x.a.Slug, &x.a.Headline, &x.a.Dek,
		&x.a.SectionID, Time(&x.a.PublishedAt), &x.aimgURL, &x.aimgAlt}
}

func (x *entryScan) entry() news.StoryEntry {
	e := x.e
	if x.img.URL != "" {
		img := x.img
		e.Image = &img
	}
	if e.ArticleID != 0 {
		a := x.a
		a.ID = e.ArticleID
		a.Status = news.StatusPublished
		if x.aimgURL != "" {
			a.Image = &news.Image{URL: x.aimgURL, Alt: x.aimgAlt}
		}
		e.Article = &a
	}
	return e
}

// entryVisible keeps entries published by the time given (three times)
// whose article, if any, readers may see then.
const entryVisible = `e.published_at <= ? AND (e.article_id IS NULL OR (a.status = 'published' AND a.published_at <= ? AND (a.embargo_until IS NULL OR a.embargo_until <= ?)))`

// CreateStory stores a new story and its first summary version.
func (db *DB) CreateStory(ctx context.Context, st *news.Story, editorID int64) error {
	if err := st.Validate(); err != nil {
		return err
	}
	t := now()
	st.CreatedAt, st.UpdatedAt, st.Version = t, t, 1
	if st.Live && st.CoverageStart.IsZero() {
		st.CoverageStart = t
	}
	st.SummaryVersion = 0
	if st.Summary != "" {
		st.SummaryVersion = 1
	}
	return db.InTx(ctx, func(tx Tx) error {
		id, err := tx.Insert(ctx, `INSERT INTO stories(slug, title, standfirst, summary, summary_version, status, section_id, live, coverage_start, created_at, updated_at, version)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id`,
			st.Slug, st.Title, st.Standfirst, st.Summary, st.SummaryVersion, st.Status, nullID(st.SectionID), st.Live, st.CoverageStart, t, t)
		if db.isUnique(err) {
			return news.Errorf(news.KindConflict, "a story at /story/%s already exists", st.Slug)
		}
		if db.isForeignKey(err) {
			return news.NotFound("section")
		}
		if err != nil {
			return fmt.Errorf("create story: %w", err)
		}
		st.ID = id
		if err := writeStoryTags(ctx, tx, id, st.Tags); err != nil {
			return err
		}
		if st.Summary != "" {
			return addSummary(ctx, tx, id, 1, st.Summary, editorID, t)
		}
		return nil
	})
}

func writeStoryTags(ctx context.Context, tx Tx, id int64, tags []string) error {
	if _, err := tx.Exec(ctx, `DELETE FROM story_tags WHERE story_id = ?`, id); err != nil {
		return fmt.Errorf("story tags: %w", err)
	}
	for i, tag := range tags {
		if _, err := tx.Exec(ctx, `INSERT INTO story_tags(story_id, tag, position) VALUES (?, ?, ?)`, id, tag, i); err != nil {
			return fmt.Errorf("story tags: %w", err)
		}
	}
	return nil
}

func addSummary(ctx context.Context, tx Tx, id int64, version int, summary string, editorID int64, t time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO story_summaries(story_id, version, summary, editor_id, created_at) VALUES (?, ?, ?, ?, ?)`,
		id, version, summary, editorID, t)
	if err != nil {
		return fmt.Errorf("story summary: %w", err)
	}
	return nil
}

// UpdateStory saves a story when st.Version is current; a changed summary
// is kept as a new version.
func (db *DB) UpdateStory(ctx context.Context, st *news.Story, editorID int64) error {
	if err := st.Validate(); err != nil {
		return err
	}
	t := now()
	return db.InTx(ctx, func(tx Tx) error {
		var summary string
		var sv, version int
		var live bool
		var cov time.Time
		err := tx.QueryRow(ctx, `SELECT summary, summary_version, version, live, coverage_start FROM stories WHERE id = ?`, st.ID).
			Scan(&summary, &sv, &version, &live, Time(&cov))
		if err != nil {
			return notFoundOr(err, "story")
		}
		if version != st.Version {
			return news.Errorf(news.KindConflict, "someone else saved this story meanwhile (version %d, yours %d): reload it and make your change again", version, st.Version)
		}
		if st.Summary != summary {
			sv++
			if err := addSummary(ctx, tx, st.ID, sv, st.Summary, editorID, t); err != nil {
				return err
			}
		}
		if st.Live && st.CoverageStart.IsZero() {
			st.CoverageStart = cov
			if st.CoverageStart.IsZero() {
				st.CoverageStart = t
			}
		}
		_, err = tx.Exec(ctx, `UPDATE stories SET slug = ?, title = ?, standfirst = ?, summary = ?, summary_version = ?, status = ?, section_id = ?,
			live = ?, coverage_start = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
			st.Slug, st.Title, st.Standfirst, st.Summary, sv, st.Status, nullID(st.SectionID), st.Live, st.CoverageStart, t, st.ID)
		if db.isUnique(err) {
			return news.Errorf(news.KindConflict, "a story at /story/%s already exists", st.Slug)
		}
		if db.isForeignKey(err) {
			return news.NotFound("section")
		}
		if err != nil {
			return fmt.Errorf("update story: %w", err)
		}
		if err := writeStoryTags(ctx, tx, st.ID, st.Tags); err != nil {
			return err
		}
		st.SummaryVersion, st.UpdatedAt = sv, t
		st.Version++
		return nil
	})
}

func (db *DB) storyWhere(ctx context.Context, cond string, arg any) (news.Story, error) {
	var st news.Story
	err := db.QueryRow(ctx, `SELECT `+storyCols+` FROM stories s WHERE `+cond, arg).Scan(storyDest(&st)...)
	if err != nil {
		return st, notFoundOr(err, "story")
	}
	tags, err := db.storyTags(ctx, []int64{st.ID})
	if err != nil {
		return st, err
	}
	st.Tags = tags[st.ID]
	return st, nil
}

// StoryByID loads a story with its tags.
func (db *DB) StoryByID(ctx context.Context, id int64) (news.Story, error) {
	return db.storyWhere(ctx, `s.id = ?`, id)
}

// StoryBySlug loads a story with its tags.
func (db *DB) StoryBySlug(ctx context.Context, slug string) (news.Story, error) {
	return db.storyWhere(ctx, `s.slug = ?`, slug)
}

func (db *DB) storyTags(ctx context.Context, ids []int64) (map[int64][]string, error) {
	out := map[int64][]string{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := db.Query(ctx, `SELECT story_id, tag FROM story_tags WHERE story_id IN (`+placeholders(len(ids))+`) ORDER BY story_id, position`, args...)
	if err != nil {
		return nil, fmt.Errorf("story tags: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var tag string
		if err := rows.Scan(&id, &tag); err != nil {
			return nil, err
		}
		out[id] = append(out[id], tag)
	}
	return out, rows.Err()
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// ListStories lists stories, the most recently active first.
func (db *DB) ListStories(ctx context.Context, q news.StoryQuery) ([]news.Story, error) {
	var conds []string
	var args []any
	if q.Status != "" {
		conds, args = append(conds, `s.status = ?`), append(args, q.Status)
	}
	if q.OpenOnly {
		conds = append(conds, `s.status <> 'concluded'`)
	}
	where := ""
	if len(conds) > 0 {
		where = ` WHERE ` + strings.Join(conds, ` AND `)
	}
	rows, err := db.Query(ctx, `SELECT `+storyCols+` FROM stories s`+where+` ORDER BY COALESCE(s.last_entry_at, s.created_at) DESC, s.id DESC LIMIT ?`,
		append(args, clampLimit(q.Limit, 100, 1000))...)
	list, err := collect(rows, err, func(r *sql.Rows) (news.Story, error) {
		var st news.Story
		return st, r.Scan(storyDest(&st)...)
	})
	if err != nil {
		return nil, fmt.Errorf("list stories: %w", err)
	}
	ids := make([]int64, len(list))
	for i := range list {
		ids[i] = list[i].ID
	}
	tags, err := db.storyTags(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i := range list {
		list[i].Tags = tags[list[i].ID]
	}
	return list, nil
}

// StorySummaries lists a story's summary versions, newest first.
func (db *DB) StorySummaries(ctx context.Context, storyID int64) ([]news.StorySummary, error) {
	rows, err := db.Query(ctx, `SELECT story_id, version, summary, editor_id, created_at FROM story_summaries WHERE story_id = ? ORDER BY version DESC`, storyID)
	out, err := collect(rows, err, func(r *sql.Rows) (news.StorySummary, error) {
		var s news.StorySummary
		return s, r.Scan(&s.StoryID, &s.Version, &s.Summary, &s.EditorID, Time(&s.CreatedAt))
	})
	if err != nil {
		return nil, fmt.Errorf("story summaries: %w", err)
	}
	return out, nil
}

func imageCols(img *news.Image) (string, string) {
	if img == nil {
		return "", ""
	}
	return img.URL, img.Alt
}

// AddStoryEntry stores an entry and moves the story's LastEntryAt.
func (db *DB) AddStoryEntry(ctx context.Context, e *news.StoryEntry) error {
	if err := e.Validate(); err != nil {
		return err
	}
	if e.PublishedAt.IsZero() {
		e.PublishedAt = now()
	}
	e.PublishedAt = e.PublishedAt.UTC().Truncate(time.Millisecond)
	return db.InTx(ctx, func(tx Tx) error {
		var one int
		if err := tx.QueryRow(ctx, `SELECT 1 FROM stories WHERE id = ?`, e.StoryID).Scan(&one); err != nil {
			return notFoundOr(err, "story")
		}
		if e.ArticleID != 0 {
			var pub time.Time
			if err := tx.QueryRow(ctx, `SELECT published_at FROM articles WHERE id = ?`, e.ArticleID).Scan(Time(&pub)); err != nil {
				return notFoundOr(err, "article")
			}
			if e.EventAt.IsZero() && !pub.IsZero() {
				e.EventAt = pub
			}
		}
		if e.EventAt.IsZero() {
			e.EventAt = e.PublishedAt
		}
		e.EventAt = e.EventAt.UTC().Truncate(time.Millisecond)
		url, alt := imageCols(e.Image)
		id, err := tx.Insert(ctx, `INSERT INTO story_entries(story_id, kind, article_id, body, image_url, image_alt, embed, event_at, published_at, pinned, created_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			e.StoryID, e.Kind, nullID(e.ArticleID), e.Text, url, alt, e.Embed, e.EventAt, e.PublishedAt, e.Pinned, e.CreatedBy)
		if db.isUnique(err) {
			return news.Errorf(news.KindConflict, "that article is already in this story")
		}
		if err != nil {
			return fmt.Errorf("add story entry: %w", err)
		}
		e.ID = id
		_, err = tx.Exec(ctx, `UPDATE stories SET last_entry_at = ?, updated_at = ? WHERE id = ? AND (last_entry_at IS NULL OR last_entry_at < ?)`,
			e.PublishedAt, e.PublishedAt, e.StoryID, e.PublishedAt)
		if err != nil {
			return fmt.Errorf("add story entry: %w", err)
		}
		return nil
	})
}

// UpdateStoryEntry saves what an editor may change of an entry.
func (db *DB) UpdateStoryEntry(ctx context.Context, e *news.StoryEntry) error {
	if err := e.Validate(); err != nil {
		return err
	}
	if e.EventAt.IsZero() {
		return news.Invalid("event_at", "the entry needs the time the event happened")
	}
	url, alt := imageCols(e.Image)
	res, err := db.Exec(ctx, `UPDATE story_entries SET kind = ?, body = ?, image_url = ?, image_alt = ?, embed = ?, event_at = ?, pinned = ?, changed_at = ?
		WHERE id = ? AND story_id = ?`, e.Kind, e.Text, url, alt, e.Embed, e.EventAt.UTC().Truncate(time.Millisecond), e.Pinned, time.Now().UTC().Truncate(time.Millisecond), e.ID, e.StoryID)
	if err != nil {
		return fmt.Errorf("update story entry: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.NotFound("story entry")
	}
	return nil
}

// DeleteStoryEntry removes an entry of a story, and records the removal
// for open pages (StoryEntryChanges).
func (db *DB) DeleteStoryEntry(ctx context.Context, storyID, entryID int64) error {
	return db.InTx(ctx, func(tx Tx) error {
		res, err := tx.Exec(ctx, `DELETE FROM story_entries WHERE id = ? AND story_id = ?`, entryID, storyID)
		if err != nil {
			return fmt.Errorf("delete story entry: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return news.NotFound("story entry")
		}
		if _, err := tx.Exec(ctx, `INSERT INTO story_entry_removals(story_id, entry_id, removed_at) VALUES (?, ?, ?)
			ON CONFLICT (story_id, entry_id) DO UPDATE SET removed_at = excluded.removed_at`, storyID, entryID, time.Now().UTC().Truncate(time.Millisecond)); err != nil {
			return fmt.Errorf("delete story entry: %w", err)
		}
		return nil
	})
}

// StoryEntryChanges implements news.StoryStore.
func (db *DB) StoryEntryChanges(ctx context.Context, storyID int64, since, now time.Time, limit int) (news.StoryEntryChanges, error) {
	var out news.StoryEntryChanges
	rows, err := db.Query(ctx, `SELECT `+entryCols+`, e.changed_at FROM story_entries e LEFT JOIN articles a ON a.id = e.article_id
		WHERE e.story_id = ? AND e.changed_at > ? AND e.published_at <= ? AND `+entryVisible+`
		ORDER BY e.changed_at DESC, e.id DESC LIMIT ?`, storyID, since, since, now, now, now, clampLimit(limit, 50, news.MaxStoryEntriesAll))
	type changed struct {
		e  news.StoryEntry
		at time.Time
	}
	list, err := collect(rows, err, func(r *sql.Rows) (changed, error) {
		var x entryScan
		var c changed
		err := r.Scan(append(x.dest(), Time(&c.at))...)
		c.e = x.entry()
		return c, err
	})
	if err != nil {
		return out, fmt.Errorf("story entry changes: %w", err)
	}
	for _, c := range list {
		out.Changed = append(out.Changed, c.e)
		out.Cursor = max(out.Cursor, c.at.UnixMilli())
	}
	rows, err = db.Query(ctx, `SELECT entry_id, removed_at FROM story_entry_removals WHERE story_id = ? AND removed_at > ? ORDER BY entry_id`, storyID, since)
	removed, err := collect(rows, err, func(r *sql.Rows) (changed, error) {
		var c changed
		return c, r.Scan(&c.e.ID, Time(&c.at))
	})
	if err != nil {
		return out, fmt.Errorf("story entry removals: %w", err)
	}
	for _, c := range removed {
		out.Removed = append(out.Removed, c.e.ID)
		out.Cursor = max(out.Cursor, c.at.UnixMilli())
	}
	return out, nil
}

func entryWhere(q news.EntryQuery) (string, []any) {
	w := ` WHERE e.story_id = ?`
	args := []any{q.StoryID}
	if q.Kind != "" {
		w += ` AND e.kind = ?`
		args = append(args, q.Kind)
	}
	if !q.Now.IsZero() {
		w += ` AND ` + entryVisible
		args = append(args, q.Now, q.Now, q.Now)
	}
	if !q.Since.IsZero() {
		w += ` AND e.published_at > ?`
		args = append(args, q.Since)
	}
	if q.Pinned {
		w += ` AND e.pinned = ?`
		args = append(args, true)
	}
	return w, args
}

// StoryEntries lists a story's entries: the chronology by event time, or
// by published time (q.Newest), newest first.
func (db *DB) StoryEntries(ctx context.Context, q news.EntryQuery) ([]news.StoryEntry, error) {
	w, args := entryWhere(q)
	order := ` ORDER BY e.event_at DESC, e.id DESC`
	if q.Newest {
		order = ` ORDER BY e.published_at DESC, e.id DESC`
	}
	rows, err := db.Query(ctx, `SELECT `+entryCols+` FROM story_entries e LEFT JOIN articles a ON a.id = e.article_id`+w+order+` LIMIT ? OFFSET ?`,
		append(args, clampLimit(q.Limit, 100, news.MaxStoryEntriesAll), max(q.Offset, 0))...)
	out, err := collect(rows, err, func(r *sql.Rows) (news.StoryEntry, error) {
		var x entryScan
		err := r.Scan(x.dest()...)
		return x.entry(), err
	})
	if err != nil {
		return nil, fmt.Errorf("story entries: %w", err)
	}
	return out, nil
}

// CountStoryEntries counts the entries q selects.
func (db *DB) CountStoryEntries(ctx context.Context, q news.EntryQuery) (int, error) {
	w, args := entryWhere(q)
	var n int
	err := db.QueryRow(ctx, `SELECT count(*) FROM story_entries e LEFT JOIN articles a ON a.id = e.article_id`+w, args...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count story entries: %w", err)
	}
	return n, nil
}

// storyBoxQuery is the member box in one query: m finds the article's
// story by story_entries_article and counts the visible entries
// published after the article's own; the two arms read the newest
// entries (story_entries_new) and the newest key event
// (story_entries_kind), each joined to the story row.
const storyBoxQuery = `WITH m AS (
	SELECT me.story_id, me.published_at,
		(SELECT count(*) FROM story_entries e LEFT JOIN articles a ON a.id = e.article_id
		 WHERE e.story_id = me.story_id AND e.published_at > me.published_at AND ` + entryVisible + `) AS newer
	FROM story_entries me WHERE me.article_id = ? ORDER BY me.published_at DESC LIMIT 1
)
SELECT x.*, ` + storyCols + `, m.newer FROM (
	SELECT * FROM (SELECT 'l' AS role, ` + entryCols + ` FROM story_entries e LEFT JOIN articles a ON a.id = e.article_id
		WHERE e.story_id = (SELECT story_id FROM m) AND ` + entryVisible + ` ORDER BY e.published_at DESC, e.id DESC LIMIT ?) AS latest
	UNION ALL
	SELECT * FROM (SELECT 'k' AS role, ` + entryCols + ` FROM story_entries e LEFT JOIN articles a ON a.id = e.article_id
		WHERE e.story_id = (SELECT story_id FROM m) AND e.kind = 'key' AND ` + entryVisible + ` ORDER BY e.event_at DESC LIMIT 1) AS keyev
) AS x JOIN m ON m.story_id = x.story_id JOIN stories s ON s.id = m.story_id`

// StoryBoxSQL is the member box's statement as written (its plan is
// tested and shown in docs/stories.md).
const StoryBoxSQL = storyBoxQuery

// StoryBoxOf is a member article's box, in one query (storyBoxQuery).
func (db *DB) StoryBoxOf(ctx context.Context, articleID int64, at time.Time, latest int) (news.StoryBox, error) {
	var box news.StoryBox
	rows, err := db.Query(ctx, storyBoxQuery, at, at, at, articleID, at, at, at, clampLimit(latest, 3, 20), at, at, at)
	if err != nil {
		return box, fmt.Errorf("story box: %w", err)
	}
	defer rows.Close()
	found := false
	for rows.Next() {
		var role string
		var x entryScan
		dest := append([]any{&role}, x.dest()...)
		dest = append(dest, storyDest(&box.Story)...)
		dest = append(dest, &box.Newer)
		if err := rows.Scan(dest...); err != nil {
			return box, fmt.Errorf("story box: %w", err)
		}
		found = true
		e := x.entry()
		if role == "k" {
			box.KeyEvent = &e
		} else {
			box.Latest = append(box.Latest, e)
		}
	}
	if err := rows.Err(); err != nil {
		return box, fmt.Errorf("story box: %w", err)
	}
	if !found {
		return box, news.NotFound("story")
	}
	// UNION ALL keeps no order across arms: the latest arm's own order.
	sortEntriesNewest(box.Latest)
	return box, nil
}

func sortEntriesNewest(es []news.StoryEntry) {
	for i := 1; i < len(es); i++ {
		for j := i; j > 0 && newer(es[j], es[j-1]); j-- {
			es[j], es[j-1] = es[j-1], es[j]
		}
	}
}

func newer(a, b news.StoryEntry) bool {
	if !a.PublishedAt.Equal(b.PublishedAt) {
		return a.PublishedAt.After(b.PublishedAt)
	}
	return a.ID > b.ID
}

// StoryArticleIDs lists a story's member articles.
func (db *DB) StoryArticleIDs(ctx context.Context, storyID int64) ([]int64, error) {
	rows, err := db.Query(ctx, `SELECT article_id FROM story_entries WHERE story_id = ? AND article_id IS NOT NULL ORDER BY article_id`, storyID)
	out, err := collect(rows, err, func(r *sql.Rows) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
	if err != nil {
		return nil, fmt.Errorf("story articles: %w", err)
	}
	return out, nil
}

// StoryCandidates lists open stories with the text of entries published
// since.
func (db *DB) StoryCandidates(ctx context.Context, since time.Time) ([]news.StoryCandidate, error) {
	stories, err := db.ListStories(ctx, news.StoryQuery{OpenOnly: true, Limit: 500})
	if err != nil {
		return nil, err
	}
	if len(stories) == 0 {
		return nil, nil
	}
	byID := map[int64]int{}
	out := make([]news.StoryCandidate, len(stories))
	for i, st := range stories {
		byID[st.ID] = i
		out[i] = news.StoryCandidate{Story: st, Tags: st.Tags}
	}
	// Members whatever their age (an article is not offered a story it
	// is in); text only of recent entries and their articles' tags.
	rows, err := db.Query(ctx, `SELECT e.story_id, COALESCE(e.article_id, 0), e.published_at, e.body, COALESCE(a.headline, ''), COALESCE(a.dek, '')
		FROM story_entries e JOIN stories s ON s.id = e.story_id LEFT JOIN articles a ON a.id = e.article_id
		WHERE s.status <> 'concluded'`)
	if err != nil {
		return nil, fmt.Errorf("story candidates: %w", err)
	}
	defer rows.Close()
	texts := make([]strings.Builder, len(out))
	for rows.Next() {
		var sid, aid int64
		var pub time.Time
		var body, headline, dek string
		if err := rows.Scan(&sid, &aid, Time(&pub), &body, &headline, &dek); err != nil {
			return nil, fmt.Errorf("story candidates: %w", err)
		}
		i, ok := byID[sid]
		if !ok {
			continue
		}
		if aid != 0 {
			out[i].ArticleIDs = append(out[i].ArticleIDs, aid)
		}
		if pub.Before(since) {
			continue
		}
		for _, s := range []string{headline, dek, body} {
			if s != "" {
				texts[i].WriteString(s)
				texts[i].WriteString("\n")
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("story candidates: %w", err)
	}
	for i := range out {
		out[i].Text = out[i].Story.Title + "\n" + out[i].Story.Standfirst + "\n" + texts[i].String()
	}
	return out, nil
}

// FlagStory records a dormant story's match, once per story and article.
func (db *DB) FlagStory(ctx context.Context, f *news.StoryFlag) error {
	if f.CreatedAt.IsZero() {
		f.CreatedAt = now()
	}
	id, err := db.Insert(ctx, `INSERT INTO story_flags(story_id, article_id, score, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (story_id, article_id) DO UPDATE SET score = excluded.score RETURNING id`, f.StoryID, f.ArticleID, f.Score, f.CreatedAt)
	if db.isForeignKey(err) {
		return news.NotFound("story or article")
	}
	if err != nil {
		return fmt.Errorf("flag story: %w", err)
	}
	f.ID = id
	return nil
}

// StoryFlags lists undismissed flags, newest first.
func (db *DB) StoryFlags(ctx context.Context, limit int) ([]news.StoryFlag, error) {
	rows, err := db.Query(ctx, `SELECT f.id, f.story_id, s.title, s.slug, f.article_id, a.headline, f.score, f.created_at
		FROM story_flags f JOIN stories s ON s.id = f.story_id JOIN articles a ON a.id = f.article_id
		WHERE f.dismissed = FALSE ORDER BY f.created_at DESC, f.id DESC LIMIT ?`, clampLimit(limit, 10, 100))
	out, err := collect(rows, err, func(r *sql.Rows) (news.StoryFlag, error) {
		var f news.StoryFlag
		return f, r.Scan(&f.ID, &f.StoryID, &f.StoryName, &f.StorySlug, &f.ArticleID, &f.Headline, &f.Score, Time(&f.CreatedAt))
	})
	if err != nil {
		return nil, fmt.Errorf("story flags: %w", err)
	}
	return out, nil
}

// DismissStoryFlag hides a flag from the dashboard.
func (db *DB) DismissStoryFlag(ctx context.Context, id int64) error {
	res, err := db.Exec(ctx, `UPDATE story_flags SET dismissed = TRUE WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("dismiss story flag: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.NotFound("story flag")
	}
	return nil
}
