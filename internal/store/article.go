package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"byline/internal/news"
)

// The articles: what a reader and an editor read and write, the lists,
// corrections and tags, the claim of scheduled articles, and the Content
// API's keyset paging.
//
// An article's columns are named in two places only, both here: ArticleCols
// with articleDest (what a read gives, in one order) and articleWriteCols
// with articleArgs (what a save writes, in one order). Insert and update
// are made from the same list, so a field added to one is in both. The
// plain fields (news.ArticleFields, from Article's `field` tags) come last
// in each list, made from the table once at start-up; the rest is written
// out.

// ArticleCols is the select list of an article row with its section, for
// queries over "articles a JOIN sections s"; ScanArticle reads it. Bodies
// are not in it: lists do without them (ArticleBodyCols adds them).
var ArticleCols = `a.id, a.slug, a.section_id, s.slug, s.path, s.name, COALESCE(s.parent_id, 0), a.status,
	a.image_url, a.image_alt, a.image_caption, a.image_credit, a.image_width, a.image_height, a.image_srcset,
	a.created_at, a.published_at, a.updated_at, a.modified_at, a.embargo_until, a.version, a.comment_count, ` +
	strings.Join(fieldColumns("a."), ", ")

// fieldColumns are the plain fields' columns, each after prefix.
func fieldColumns(prefix string) []string {
	var out []string
	for _, f := range news.ArticleFields {
		out = append(out, prefix+f.Name)
	}
	return out
}

// ArticleBodyCols follows ArticleCols where the bodies are wanted.
const ArticleBodyCols = `, a.body, a.body_text`

// articleDest is where each column of ArticleCols goes, in its order,
// with room for more destinations after them.
func articleDest(a *news.Article, img *news.Image, more int) []any {
	dest := make([]any, 0, 22+len(news.ArticleFields)+more)
	dest = append(dest, &a.ID, &a.Slug, &a.SectionID, &a.Section.Slug, &a.Section.Path, &a.Section.Name, &a.Section.ParentID, &a.Status,
		&img.URL, &img.Alt, &img.Caption, &img.Credit, &img.Width, &img.Height, &img.SrcSet,
		Time(&a.CreatedAt), Time(&a.PublishedAt), Time(&a.UpdatedAt), Time(&a.ModifiedAt), Time(&a.EmbargoUntil), &a.Version, &a.CommentCount)
	for _, f := range news.ArticleFields {
		dest = append(dest, f.Ptr(a))
	}
	return dest
}

// ScanArticle reads a row of ArticleCols (then ArticleBodyCols when
// withBody), then any extra trailing columns into extra.
func ScanArticle(sc interface{ Scan(...any) error }, withBody bool, extra ...any) (news.Article, error) {
	var a news.Article
	var img news.Image
	more := len(extra)
	if withBody {
		more += 2
	}
	dest := articleDest(&a, &img, more)
	if withBody {
		dest = append(dest, &a.Body, &a.BodyText)
	}
	if err := sc.Scan(append(dest, extra...)...); err != nil {
		return news.Article{}, err
	}
	a.Section.ID = a.SectionID
	if img.URL != "" {
		a.Image = &img
	}
	return a, nil
}

// articleWriteCols are the columns an editor's save writes, in the order
// of articleArgs.
var articleWriteCols = append([]string{"slug", "section_id", "body", "body_text", "status",
	"image_url", "image_alt", "image_caption", "image_credit", "image_width", "image_height", "image_srcset",
	"published_at", "updated_at", "modified_at", "embargo_until"}, fieldColumns("")...)

func articleArgs(a *news.Article) []any {
	img := a.Image
	if img == nil {
		img = &news.Image{}
	}
	args := make([]any, 0, len(articleWriteCols)+2)
	args = append(args, a.Slug, a.SectionID, a.Body, a.BodyText, a.Status,
		img.URL, img.Alt, img.Caption, img.Credit, img.Width, img.Height, img.SrcSet,
		a.PublishedAt, a.UpdatedAt, a.ModifiedAt, a.EmbargoUntil)
	for _, f := range news.ArticleFields {
		args = append(args, f.Value(a))
	}
	return args
}

var (
	insertArticleSQL = `INSERT INTO articles(` + strings.Join(articleWriteCols, ", ") + `, created_at, version)
		VALUES (` + strings.Repeat("?, ", len(articleWriteCols)) + `?, 1) RETURNING id`
	updateArticleSQL = `UPDATE articles SET ` + strings.Join(articleWriteCols, " = ?, ") + ` = ?, version = version + 1
		WHERE id = ? AND version = ?`
)

// CreateArticle inserts an article with its bylines and tags in one
// transaction.
func (db *DB) CreateArticle(ctx context.Context, a *news.Article) error {
	if err := a.Validate(); err != nil {
		return err
	}
	t := now()
	if a.CreatedAt.IsZero() {
		a.CreatedAt = t
	}
	a.ModifiedAt = t
	if a.Status == news.StatusPublished && a.PublishedAt.IsZero() {
		a.PublishedAt = t
	}
	var id int64
	err := db.InTx(ctx, func(tx Tx) error {
		var err error
		if id, err = tx.Insert(ctx, insertArticleSQL, append(articleArgs(a), a.CreatedAt)...); err != nil {
			return db.articleWriteError(err)
		}
		if err := db.writeBylinesAndTags(ctx, tx, id, a, false); err != nil {
			return err
		}
		return db.indexArticle(ctx, tx, id, a)
	})
	if err != nil {
		return err
	}
	a.ID, a.Version = id, 1
	return nil
}

func (db *DB) articleWriteError(err error) error {
	if db.isForeignKey(err) {
		return news.Invalid("section", "the section or an author does not exist")
	}
	return fmt.Errorf("write article: %w", err)
}

// valueRows is n rows of k placeholders each: "(?, ?), (?, ?)".
func valueRows(n, k int) string {
	return strings.TrimSuffix(strings.Repeat("("+placeholders(k)+"), ", n), ", ")
}

// writeBylinesAndTags stores the article's bylines and tags, replacing
// the old ones when replace is set, one statement for each.
func (db *DB) writeBylinesAndTags(ctx context.Context, tx Tx, id int64, a *news.Article, replace bool) error {
	if replace {
		if _, err := tx.Exec(ctx, `DELETE FROM article_authors WHERE article_id = ?`, id); err != nil {
			return fmt.Errorf("clear bylines: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM article_tags WHERE article_id = ?`, id); err != nil {
			return fmt.Errorf("clear tags: %w", err)
		}
	}
	seen := map[int64]bool{}
	var authors []int64
	var args []any
	for i, au := range a.Authors {
		if seen[au.ID] {
			continue
		}
		seen[au.ID] = true
		authors = append(authors, au.ID)
		args = append(args, id, au.ID, i)
	}
	if len(authors) > 0 {
		_, err := tx.Exec(ctx, `INSERT INTO article_authors(article_id, author_id, position) VALUES `+valueRows(len(authors), 3), args...)
		if db.isForeignKey(err) {
			return db.missingAuthor(ctx, authors)
		}
		if err != nil {
			return fmt.Errorf("write bylines: %w", err)
		}
	}
	if len(a.Tags) > 0 {
		args = args[:0]
		for i, t := range a.Tags {
			args = append(args, id, news.NormalizeTag(t), t, i)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO article_tags(article_id, tag, label, position) VALUES `+valueRows(len(a.Tags), 4), args...); err != nil {
			return fmt.Errorf("write tags: %w", err)
		}
	}
	return nil
}

// missingAuthor names the first of ids that is no author. It reads
// outside the transaction, which PostgreSQL has aborted by now.
func (db *DB) missingAuthor(ctx context.Context, ids []int64) error {
	rows, err := db.Query(ctx, `SELECT id FROM authors WHERE id IN (`+placeholders(len(ids))+`)`, int64Args(ids)...)
	found, err := collect(rows, err, func(r *sql.Rows) (int64, error) {
		var id int64
		err := r.Scan(&id)
		return id, err
	})
	if err != nil {
		return fmt.Errorf("check bylines: %w", err)
	}
	for _, id := range ids {
		if !slices.Contains(found, id) {
			return news.Invalid("authors", "author %d does not exist", id)
		}
	}
	return news.Invalid("authors", "an author does not exist")
}

func int64Args(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// indexArticle keeps what an article is found by beside its words (see
// IndexArticleSQL). The spelling vocabulary is not written here: triggers
// keep it from public articles only (migration 0812), so that a draft's
// words are never suggested.
func (db *DB) indexArticle(ctx context.Context, tx Tx, id int64, a *news.Article) error {
	if _, err := tx.Exec(ctx, IndexArticleSQL, SearchGrams(a.Headline, a.Dek, a.BodyText), id); err != nil {
		return fmt.Errorf("index article: %w", err)
	}
	return nil
}

// UpdateArticle saves an article if nobody saved it since a.Version was read.
func (db *DB) UpdateArticle(ctx context.Context, a *news.Article) error {
	if err := a.Validate(); err != nil {
		return err
	}
	a.ModifiedAt = now()
	if a.Status == news.StatusPublished && a.PublishedAt.IsZero() {
		a.PublishedAt = a.ModifiedAt
	}
	err := db.InTx(ctx, func(tx Tx) error {
		// On PostgreSQL (READ COMMITTED) a second editor's UPDATE waits for
		// the first to commit, then re-checks the version and matches
		// nothing; SQLite has one writer.
		res, err := tx.Exec(ctx, updateArticleSQL, append(articleArgs(a), a.ID, a.Version)...)
		if err != nil {
			return db.articleWriteError(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var v int
			if err := tx.QueryRow(ctx, `SELECT version FROM articles WHERE id = ?`, a.ID).Scan(&v); err != nil {
				return notFoundOr(err, "article")
			}
			return &news.Error{Kind: news.KindConflict, Field: "version",
				Message: fmt.Sprintf("this article was changed by someone else since you opened it (your version %d, saved version %d)", a.Version, v)}
		}
		if err := db.writeBylinesAndTags(ctx, tx, a.ID, a, true); err != nil {
			return err
		}
		return db.indexArticle(ctx, tx, a.ID, a)
	})
	if err != nil {
		return err
	}
	a.Version++
	return nil
}

const correctionCols = `id, article_id, kind, body, created_at`

func scanCorrection(sc interface{ Scan(...any) error }) (news.Correction, error) {
	var c news.Correction
	err := sc.Scan(&c.ID, &c.ArticleID, &c.Kind, &c.Body, Time(&c.CreatedAt))
	return c, err
}

// ArticleByID loads an article whatever its status, with everything it
// shows: its row, bylines, tags and corrections in one batch.
func (db *DB) ArticleByID(ctx context.Context, id int64) (news.Article, error) {
	found := false
	list := []news.Article{{}}
	reads := []Read{{
		Query: `SELECT ` + ArticleCols + ArticleBodyCols + ` FROM articles a JOIN sections s ON s.id = a.section_id WHERE a.id = ?`,
		Args:  []any{id},
		Row: func(r Scanner) (err error) {
			list[0], err = ScanArticle(r, true)
			found = err == nil
			return err
		},
		hot: true,
	}}
	reads = append(reads, relationReads(list, []int64{id})...)
	reads = append(reads, Read{
		Query: `SELECT ` + correctionCols + ` FROM corrections WHERE article_id = ? ORDER BY created_at, id`,
		Args:  []any{id},
		Row: func(r Scanner) error {
			c, err := scanCorrection(r)
			list[0].Corrections = append(list[0].Corrections, c)
			return err
		},
		hot: true,
	})
	// The row is read first, so the relations and corrections that follow
	// fill it.
	if err := db.batch(ctx, reads); err != nil {
		return news.Article{}, fmt.Errorf("load article: %w", err)
	}
	if !found {
		return news.Article{}, news.NotFound("article")
	}
	return list[0], nil
}

// hotPage: relationReads keeps its statements prepared for pages of up
// to this many articles (one statement per page size: a search's or a
// list's page of 10 no longer parses two statements every time).
const hotPage = 100

// relationReads are the reads of the bylines and tags of the articles
// ids into list (list[i] has ids[i]; list may be filled by an earlier
// read of the same batch).
func relationReads(list []news.Article, ids []int64) []Read {
	idx := make(map[int64]int, len(ids))
	for i, id := range ids {
		idx[id] = i
	}
	in := `= ?`
	if len(ids) > 1 {
		in = `IN (` + placeholders(len(ids)) + `)`
	}
	args := int64Args(ids)
	// The rows are scanned into the same variables, one row after the
	// other, so that a row costs only its strings.
	var aid int64
	var au news.Author
	var url, alt, tag string
	authorDest := []any{&aid, &au.ID, &au.Slug, &au.Name, &au.Title, &au.Email, &au.Bio, &url, &alt}
	tagDest := []any{&aid, &tag}
	return []Read{{
		Query: `SELECT aa.article_id, au.id, au.slug, au.name, au.title, au.email, au.bio, au.photo_url, au.photo_alt
			FROM article_authors aa JOIN authors au ON au.id = aa.author_id
			WHERE aa.article_id ` + in + ` ORDER BY aa.article_id, aa.position`,
		Args: args,
		Row: func(r Scanner) error {
			au = news.Author{}
			if err := r.Scan(authorDest...); err != nil {
				return err
			}
			if url != "" {
				au.Photo = &news.Image{URL: url, Alt: alt}
			}
			list[idx[aid]].Authors = append(list[idx[aid]].Authors, au)
			return nil
		},
		hot: len(ids) <= hotPage,
	}, {
		Query: `SELECT article_id, ` + tagLabel + ` FROM article_tags WHERE article_id ` + in + ` ORDER BY article_id, position`,
		Args:  args,
		Row: func(r Scanner) error {
			if err := r.Scan(tagDest...); err != nil {
				return err
			}
			list[idx[aid]].Tags = append(list[idx[aid]].Tags, tag)
			return nil
		},
		hot: len(ids) <= hotPage,
	}}
}

// FillRelations loads the bylines and tags of a page of articles in one
// batch, whatever the page size.
func (db *DB) FillRelations(ctx context.Context, list []news.Article) error {
	if len(list) == 0 {
		return nil
	}
	ids := make([]int64, len(list))
	for i, a := range list {
		ids[i] = a.ID
	}
	if err := db.batch(ctx, relationReads(list, ids)); err != nil {
		return fmt.Errorf("load bylines and tags: %w", err)
	}
	return nil
}

// where builds a WHERE clause.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

func (w *where) in(col string, ids []int64) {
	if len(ids) > 0 {
		w.add(col+` IN (`+placeholders(len(ids))+`)`, int64Args(ids)...)
	}
}

func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// visibleWhere is the condition for "readers may see it at" its one time,
// given twice.
const visibleWhere = `a.status = 'published' AND a.published_at <= ? AND (a.embargo_until IS NULL OR a.embargo_until <= ?)`

func (w *where) visible(at time.Time) { w.add(visibleWhere, at, at) }

// filter adds the conditions lists and the Content API share.
func (w *where) filter(sections []int64, tag string, author int64, since, until time.Time) {
	w.in("a.section_id", sections)
	if tag != "" {
		w.add(`a.id IN (SELECT article_id FROM article_tags WHERE tag = ?)`, news.NormalizeTag(tag))
	}
	if author != 0 {
		w.add(`a.id IN (SELECT article_id FROM article_authors WHERE author_id = ?)`, author)
	}
	if !since.IsZero() {
		w.add(`a.published_at >= ?`, since)
	}
	if !until.IsZero() {
		w.add(`a.published_at < ?`, until)
	}
}

func orNow(t time.Time) time.Time {
	if t.IsZero() {
		return time.Now()
	}
	return t
}

// ListArticles lists articles, newest first: the count and the page in
// one batch, bylines and tags in a second.
func (db *DB) ListArticles(ctx context.Context, q news.ArticleQuery) (news.ArticlePage, error) {
	var w where
	if q.Status == "" {
		w.visible(orNow(q.Now))
	} else {
		w.add(`a.status = ?`, q.Status)
	}
	w.filter(q.SectionIDs, q.Tag, q.AuthorID, q.Since, q.Until)
	from := `articles a`
	if q.TopOnly {
		if db.d.IndexedBy {
			// Without this hint SQLite walks the whole archive by date
			// to find the few top stories; the partial index holds just
			// them, and is used only for its condition spelled as it is.
			from = `articles a INDEXED BY articles_top`
			w.add(`a.top = 1 AND a.status = 'published'`)
		} else {
			w.add(`a.top`)
		}
	}
	var page news.ArticlePage
	var reads []Read
	if !q.SkipTotal {
		reads = append(reads, Read{Query: `SELECT count(*) FROM ` + from + w.String(), Args: w.args,
			Row: func(r Scanner) error { return r.Scan(&page.Total) }})
	}
	if q.Offset >= 0 {
		cols := ArticleCols
		if q.WithBody {
			cols += ArticleBodyCols
		}
		// NULLS LAST is PostgreSQL's order for DESC: said, so that its
		// index (published_at DESC NULLS LAST) serves it.
		order := ` ORDER BY a.published_at DESC NULLS LAST, a.id DESC`
		if q.Status != "" && q.Status != news.StatusPublished {
			order = ` ORDER BY a.modified_at DESC, a.id DESC`
		}
		args := append(w.args[:len(w.args):len(w.args)], clampLimit(q.Limit, 20, 1000), q.Offset)
		reads = append(reads, Read{
			Query: `SELECT ` + cols + ` FROM ` + from + ` JOIN sections s ON s.id = a.section_id` + w.String() + order + ` LIMIT ? OFFSET ?`,
			Args:  args,
			Row: func(r Scanner) error {
				a, err := ScanArticle(r, q.WithBody)
				page.Articles = append(page.Articles, a)
				return err
			},
		})
	}
	if err := db.batch(ctx, reads); err != nil {
		return news.ArticlePage{}, fmt.Errorf("list articles: %w", err)
	}
	return page, db.FillRelations(ctx, page.Articles)
}

// ListVisibleAfter pages through visible articles by (published_at, id):
// keyset paging stays stable while new articles are published, and costs
// the same on page 1000 as on page 1.
func (db *DB) ListVisibleAfter(ctx context.Context, q news.CursorQuery) ([]news.Article, error) {
	var w where
	w.visible(orNow(q.Now))
	w.filter(q.SectionIDs, q.Tag, q.AuthorID, q.Since, q.Until)
	if q.After != nil {
		// The range on published_at alone lets both engines walk their
		// date index from the cursor; the id breaks ties within it.
		p := q.After.PublishedAt
		w.add(`a.published_at <= ? AND (a.published_at < ? OR a.id < ?)`, p, p, q.After.ID)
	}
	var out []news.Article
	err := db.batch(ctx, []Read{{
		Query: `SELECT ` + ArticleCols + ` FROM articles a JOIN sections s ON s.id = a.section_id` + w.String() +
			` ORDER BY a.published_at DESC NULLS LAST, a.id DESC LIMIT ?`,
		Args: append(w.args, clampLimit(q.Limit, 20, 100)),
		Row: func(r Scanner) error {
			a, err := ScanArticle(r, false)
			out = append(out, a)
			return err
		},
	}})
	if err != nil {
		return nil, fmt.Errorf("list articles: %w", err)
	}
	return out, db.FillRelations(ctx, out)
}

// AddCorrection appends a dated public note to an article and stamps the
// article's modified_at, in one transaction.
func (db *DB) AddCorrection(ctx context.Context, c *news.Correction) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = now()
	}
	var id int64
	err := db.InTx(ctx, func(tx Tx) error {
		var err error
		id, err = tx.Insert(ctx, `INSERT INTO corrections(article_id, kind, body, created_at) VALUES (?, ?, ?, ?) RETURNING id`, c.ArticleID, c.Kind, c.Body, c.CreatedAt)
		if db.isForeignKey(err) {
			return news.NotFound("article")
		}
		if err != nil {
			return fmt.Errorf("add correction: %w", err)
		}
		_, err = tx.Exec(ctx, `UPDATE articles SET modified_at = ? WHERE id = ?`, c.CreatedAt, c.ArticleID)
		return err
	})
	if err != nil {
		return err
	}
	c.ID = id
	return nil
}

// ListCorrections lists notes on visible articles, newest first.
func (db *DB) ListCorrections(ctx context.Context, limit, offset int) ([]news.Correction, error) {
	t := time.Now()
	rows, err := db.Query(ctx, `SELECT `+correctionCols+` FROM corrections
		WHERE article_id IN (SELECT a.id FROM articles a WHERE `+visibleWhere+`) ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
		t, t, clampLimit(limit, 50, 500), max(offset, 0))
	out, err := collect(rows, err, func(r *sql.Rows) (news.Correction, error) { return scanCorrection(r) })
	if err != nil {
		return nil, fmt.Errorf("load corrections: %w", err)
	}
	return out, nil
}

// tagLabel is a tag as the editor wrote it (tags stored before labels
// were kept show as their lowercased key).
const tagLabel = `CASE WHEN label = '' THEN tag ELSE label END`

// ListTags lists tags of visible articles, most used first, then by code
// point; tags that differ only in case are one (shown in one of the ways
// they were written).
func (db *DB) ListTags(ctx context.Context, limit int) ([]news.TagCount, error) {
	t := time.Now()
	rows, err := db.Query(ctx, `SELECT min(`+tagLabel+` COLLATE "C"), count(*) FROM article_tags t JOIN articles a ON a.id = t.article_id WHERE `+visibleWhere+`
		GROUP BY t.tag ORDER BY count(*) DESC, t.tag COLLATE "C" LIMIT ?`, t, t, clampLimit(limit, 50, 1000))
	out, err := collect(rows, err, func(r *sql.Rows) (news.TagCount, error) {
		var t news.TagCount
		err := r.Scan(&t.Tag, &t.Count)
		return t, err
	})
	if err != nil {
		return nil, fmt.Errorf("list tags: %w", err)
	}
	return out, nil
}

// CountArticles counts articles of every status.
func (db *DB) CountArticles(ctx context.Context) (int, error) {
	var n int
	err := db.QueryRow(ctx, `SELECT count(*) FROM articles`).Scan(&n)
	return n, err
}

// PublishDue claims and publishes every scheduled article whose time has
// come, each for exactly one caller: the UPDATE ... RETURNING is one
// statement, and where several servers write (PostgreSQL) the rows are
// picked with the dialect's SkipLocked, so a row one server has locked is
// skipped by the others and the re-checked status keeps it from being
// published twice.
func (db *DB) PublishDue(ctx context.Context, at time.Time) ([]int64, error) {
	return db.claimIDs(ctx, "publish due articles", `UPDATE articles SET status = 'published', version = version + 1, modified_at = ?,
		embargo_until = CASE WHEN embargo_until <= ? THEN NULL ELSE embargo_until END
		WHERE id IN (SELECT id FROM articles WHERE status = 'scheduled' AND published_at <= ?`+db.d.SkipLocked+`)
		AND status = 'scheduled' RETURNING id`, at, at, at)
}

// LiftEmbargoes claims published articles whose embargo has passed and
// clears the embargo, so each is returned to exactly one caller (as
// PublishDue).
func (db *DB) LiftEmbargoes(ctx context.Context, at time.Time) ([]int64, error) {
	return db.claimIDs(ctx, "lift embargoes", `UPDATE articles SET embargo_until = NULL, version = version + 1
		WHERE id IN (SELECT id FROM articles WHERE embargo_until IS NOT NULL AND embargo_until <= ? AND status = 'published'`+db.d.SkipLocked+`)
		AND embargo_until IS NOT NULL RETURNING id`, at)
}

func (db *DB) claimIDs(ctx context.Context, what, query string, args ...any) ([]int64, error) {
	rows, err := db.w.QueryContext(ctx, db.q(query), db.args(args)...)
	ids, err := collect(rows, err, func(r *sql.Rows) (int64, error) {
		var id int64
		err := r.Scan(&id)
		return id, err
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return ids, nil
}

// NextDue is the earliest scheduled publication or embargo end.
func (db *DB) NextDue(ctx context.Context) (time.Time, error) {
	var next time.Time
	err := db.QueryRow(ctx, `SELECT min(t) FROM (
		SELECT min(published_at) AS t FROM articles WHERE status = 'scheduled'
		UNION ALL SELECT min(embargo_until) FROM articles WHERE embargo_until IS NOT NULL AND status = 'published') AS due`).Scan(Time(&next))
	if err != nil {
		return time.Time{}, fmt.Errorf("next due time: %w", err)
	}
	return next, nil
}

var (
	_ news.ContentStore = (*DB)(nil)
)

// ClampLimit is n as a page size: def when n is not set, at most most.
func ClampLimit(n, def, most int) int { return clampLimit(n, def, most) }
