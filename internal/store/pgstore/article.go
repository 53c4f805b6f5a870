package pgstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"byline/internal/news"

	"github.com/jackc/pgx/v5"
)

// listCols are the columns lists need; bodies are loaded only on demand.
const listCols = `a.id, a.slug, a.section_id, s.slug, s.path, s.name, COALESCE(s.parent_id, 0), a.headline, a.dek, a.dateline, a.status, a.top, a.breaking,
	a.seo_title, a.seo_description, a.image_url, a.image_alt, a.image_caption, a.image_credit, a.image_width, a.image_height, a.image_srcset,
	a.created_at, a.published_at, a.updated_at, a.modified_at, a.embargo_until, a.version, a.comment_count`

func scanArticle(sc pgx.Row, withBody bool, extra ...any) (news.Article, error) {
	var a news.Article
	var img news.Image
	var created, modified time.Time
	var published, updated, embargo *time.Time
	dest := []any{&a.ID, &a.Slug, &a.SectionID, &a.Section.Slug, &a.Section.Path, &a.Section.Name, &a.Section.ParentID, &a.Headline, &a.Dek, &a.Dateline, &a.Status, &a.Top, &a.Breaking,
		&a.SEOTitle, &a.SEODescription, &img.URL, &img.Alt, &img.Caption, &img.Credit, &img.Width, &img.Height, &img.SrcSet,
		&created, &published, &updated, &modified, &embargo, &a.Version, &a.CommentCount}
	if withBody {
		dest = append(dest, &a.Body, &a.BodyText)
	}
	if err := sc.Scan(append(dest, extra...)...); err != nil {
		return a, err
	}
	a.Section.ID = a.SectionID
	if img.URL != "" {
		a.Image = &img
	}
	a.CreatedAt = created.UTC()
	a.ModifiedAt = modified.UTC()
	a.PublishedAt = fromTS(published)
	a.UpdatedAt = fromTS(updated)
	a.EmbargoUntil = fromTS(embargo)
	return a, nil
}

func imageCols(a *news.Article) []any {
	img := a.Image
	if img == nil {
		img = &news.Image{}
	}
	return []any{img.URL, img.Alt, img.Caption, img.Credit, img.Width, img.Height, img.SrcSet}
}

// now is the engine's clock, to the millisecond that is stored.
func now() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }

// CreateArticle inserts an article with its bylines and tags in one
// transaction.
func (s *Store) CreateArticle(ctx context.Context, a *news.Article) error {
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
	args := []any{a.Slug, a.SectionID, a.Headline, a.Dek, a.Body, a.BodyText, a.Dateline, a.Status, a.Top, a.Breaking, a.SEOTitle, a.SEODescription}
	args = append(args, imageCols(a)...)
	args = append(args, ts(a.CreatedAt), ts(a.PublishedAt), ts(a.UpdatedAt), ts(a.ModifiedAt), ts(a.EmbargoUntil))
	var id int64
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO articles(slug, section_id, headline, dek, body, body_text, dateline, status, top, breaking, seo_title, seo_description,
			image_url, image_alt, image_caption, image_credit, image_width, image_height, image_srcset,
			created_at, published_at, updated_at, modified_at, embargo_until, version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, 1)
			RETURNING id`, args...).Scan(&id)
		if err != nil {
			return articleWriteError(err)
		}
		if err := writeBylinesAndTags(ctx, tx, id, a, false); err != nil {
			return err
		}
		return indexArticle(ctx, tx, id, a, true)
	})
	if err != nil {
		return err
	}
	a.ID, a.Version = id, 1
	return nil
}

func articleWriteError(err error) error {
	if code, _ := pgCode(err); code == foreignKeyViolation {
		return news.Invalid("section", "the section or an author does not exist")
	}
	return fmt.Errorf("write article: %w", err)
}

// writeBylinesAndTags stores the article's bylines and tags, replacing the
// old ones when replace is set, in one round trip.
func writeBylinesAndTags(ctx context.Context, tx pgx.Tx, id int64, a *news.Article, replace bool) error {
	seen := map[int64]bool{}
	var authorIDs []int64
	var positions []int32
	for i, au := range a.Authors {
		if seen[au.ID] {
			continue
		}
		seen[au.ID] = true
		authorIDs = append(authorIDs, au.ID)
		positions = append(positions, int32(i))
	}
	b := &pgx.Batch{}
	if replace {
		b.Queue(`DELETE FROM article_authors WHERE article_id = $1`, id)
		b.Queue(`DELETE FROM article_tags WHERE article_id = $1`, id)
	}
	// The join leaves out authors that do not exist, so that a missing one
	// is counted below rather than aborting the transaction with a foreign
	// key error that would not say which.
	b.Queue(`INSERT INTO article_authors(article_id, author_id, position)
		SELECT $1, x.id, x.pos FROM unnest($2::bigint[], $3::int[]) AS x(id, pos) JOIN authors au ON au.id = x.id`, id, authorIDs, positions)
	keys := make([]string, len(a.Tags))
	for i, t := range a.Tags {
		keys[i] = news.NormalizeTag(t)
	}
	b.Queue(`INSERT INTO article_tags(article_id, tag, label, position)
		SELECT $1, x.tag, x.label, x.n - 1 FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS x(tag, label, n)`, id, keys, a.Tags)
	br := tx.SendBatch(ctx, b)
	if replace {
		for range 2 {
			if _, err := br.Exec(); err != nil {
				br.Close()
				return fmt.Errorf("clear bylines and tags: %w", err)
			}
		}
	}
	bylines, err := br.Exec()
	if err != nil {
		br.Close()
		return fmt.Errorf("write bylines: %w", err)
	}
	if _, err := br.Exec(); err != nil {
		br.Close()
		return fmt.Errorf("write tags: %w", err)
	}
	if err := br.Close(); err != nil {
		return fmt.Errorf("write bylines and tags: %w", err)
	}
	if int(bylines.RowsAffected()) < len(authorIDs) {
		var missing int64
		err := tx.QueryRow(ctx, `SELECT x FROM unnest($1::bigint[]) AS x WHERE NOT EXISTS (SELECT 1 FROM authors WHERE id = x) LIMIT 1`, authorIDs).Scan(&missing)
		if err != nil {
			return fmt.Errorf("check bylines: %w", err)
		}
		return news.Invalid("authors", "author %d does not exist", missing)
	}
	return nil
}

// UpdateArticle saves an article if nobody saved it since a.Version was read.
func (s *Store) UpdateArticle(ctx context.Context, a *news.Article) error {
	if err := a.Validate(); err != nil {
		return err
	}
	a.ModifiedAt = now()
	if a.Status == news.StatusPublished && a.PublishedAt.IsZero() {
		a.PublishedAt = a.ModifiedAt
	}
	args := []any{a.Slug, a.SectionID, a.Headline, a.Dek, a.Body, a.BodyText, a.Dateline, a.Status, a.Top, a.Breaking, a.SEOTitle, a.SEODescription}
	args = append(args, imageCols(a)...)
	args = append(args, ts(a.PublishedAt), ts(a.UpdatedAt), ts(a.ModifiedAt), ts(a.EmbargoUntil), a.ID, a.Version)
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// Under READ COMMITTED a second editor's UPDATE waits for the
		// first to commit, then re-checks the version and matches nothing.
		tag, err := tx.Exec(ctx, `UPDATE articles SET slug = $1, section_id = $2, headline = $3, dek = $4, body = $5, body_text = $6, dateline = $7, status = $8,
			top = $9, breaking = $10, seo_title = $11, seo_description = $12,
			image_url = $13, image_alt = $14, image_caption = $15, image_credit = $16, image_width = $17, image_height = $18, image_srcset = $19,
			published_at = $20, updated_at = $21, modified_at = $22, embargo_until = $23, version = version + 1
			WHERE id = $24 AND version = $25`, args...)
		if err != nil {
			return articleWriteError(err)
		}
		if tag.RowsAffected() == 0 {
			var v int
			if err := tx.QueryRow(ctx, `SELECT version FROM articles WHERE id = $1`, a.ID).Scan(&v); err != nil {
				return notFoundOr(err, "article")
			}
			return &news.Error{Kind: news.KindConflict, Field: "version",
				Message: fmt.Sprintf("this article was changed by someone else since you opened it (your version %d, saved version %d)", a.Version, v)}
		}
		if err := writeBylinesAndTags(ctx, tx, a.ID, a, true); err != nil {
			return err
		}
		return indexArticle(ctx, tx, a.ID, a, false)
	})
	if err != nil {
		return err
	}
	a.Version++
	return nil
}

// ArticleByID loads an article whatever its status, with everything it
// shows, in one round trip.
func (s *Store) ArticleByID(ctx context.Context, id int64) (news.Article, error) {
	b := &pgx.Batch{}
	b.Queue(`SELECT `+listCols+`, a.body, a.body_text FROM articles a JOIN sections s ON s.id = a.section_id WHERE a.id = $1`, id)
	queueRelations(b, []int64{id})
	b.Queue(`SELECT id, article_id, kind, body, created_at FROM corrections WHERE article_id = $1 ORDER BY created_at, id`, id)
	br := s.pool.SendBatch(ctx, b)
	defer br.Close()
	a, err := scanArticle(br.QueryRow(), true)
	if err != nil {
		return news.Article{}, notFoundOr(err, "article")
	}
	list := []news.Article{a}
	if err := readRelations(br, list); err != nil {
		return news.Article{}, err
	}
	a = list[0]
	rows, err := br.Query()
	if err != nil {
		return news.Article{}, fmt.Errorf("load corrections: %w", err)
	}
	if a.Corrections, err = collect(rows, scanCorrection); err != nil {
		return news.Article{}, fmt.Errorf("load corrections: %w", err)
	}
	return a, br.Close()
}

// where builds a WHERE clause with numbered placeholders.
type where struct {
	conds []string
	args  []any
}

// arg adds a parameter and returns its placeholder.
func (w *where) arg(v any) string {
	w.args = append(w.args, v)
	return "$" + strconv.Itoa(len(w.args))
}

func (w *where) add(cond string) { w.conds = append(w.conds, cond) }

// visible is the condition for "readers may see it at now".
func (w *where) visible(now time.Time) {
	n := w.arg(ts(now))
	w.add(`a.status = 'published' AND a.published_at <= ` + n + ` AND (a.embargo_until IS NULL OR a.embargo_until <= ` + n + `)`)
}

func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

func clampLimit(n, def, most int) int {
	if n <= 0 {
		return def
	}
	return min(n, most)
}

// ListArticles lists articles, newest first. The count and the page go in
// one round trip, bylines and tags in a second.
func (s *Store) ListArticles(ctx context.Context, q news.ArticleQuery) (news.ArticlePage, error) {
	t := q.Now
	if t.IsZero() {
		t = time.Now()
	}
	var w where
	if q.Status == "" {
		w.visible(t)
	} else {
		w.add(`a.status = ` + w.arg(q.Status))
	}
	if len(q.SectionIDs) > 0 {
		w.add(`a.section_id = ANY(` + w.arg(q.SectionIDs) + `)`)
	}
	if q.Tag != "" {
		w.add(`a.id IN (SELECT article_id FROM article_tags WHERE tag = ` + w.arg(news.NormalizeTag(q.Tag)) + `)`)
	}
	if q.AuthorID != 0 {
		w.add(`a.id IN (SELECT article_id FROM article_authors WHERE author_id = ` + w.arg(q.AuthorID) + `)`)
	}
	if q.TopOnly {
		w.add(`a.top`)
	}
	if !q.Since.IsZero() {
		w.add(`a.published_at >= ` + w.arg(ts(q.Since)))
	}
	if !q.Until.IsZero() {
		w.add(`a.published_at < ` + w.arg(ts(q.Until)))
	}
	var page news.ArticlePage
	b := &pgx.Batch{}
	if q.SkipTotal {
		b.Queue(`SELECT 0`)
	} else {
		b.Queue(`SELECT count(*) FROM articles a`+w.String(), w.args...)
	}
	if q.Offset >= 0 {
		cols := listCols
		if q.WithBody {
			cols += `, a.body, a.body_text`
		}
		order := ` ORDER BY a.published_at DESC NULLS LAST, a.id DESC`
		if q.Status != "" && q.Status != news.StatusPublished {
			order = ` ORDER BY a.modified_at DESC, a.id DESC`
		}
		cond := w.String() // before the page's parameters join w.args
		limit := ` LIMIT ` + w.arg(clampLimit(q.Limit, 20, 1000)) + ` OFFSET ` + w.arg(q.Offset)
		b.Queue(`SELECT `+cols+` FROM articles a JOIN sections s ON s.id = a.section_id`+cond+order+limit, w.args...)
	}
	br := s.pool.SendBatch(ctx, b)
	defer br.Close()
	if err := br.QueryRow().Scan(&page.Total); err != nil {
		return page, fmt.Errorf("count articles: %w", err)
	}
	if q.Offset < 0 {
		return page, br.Close()
	}
	rows, err := br.Query()
	if err != nil {
		return page, fmt.Errorf("list articles: %w", err)
	}
	page.Articles, err = collect(rows, func(r pgx.CollectableRow) (news.Article, error) { return scanArticle(r, q.WithBody) })
	if err != nil {
		return page, fmt.Errorf("list articles: %w", err)
	}
	if err := br.Close(); err != nil {
		return page, fmt.Errorf("list articles: %w", err)
	}
	return page, s.fillRelations(ctx, page.Articles)
}

// queueRelations queues the queries for the bylines and tags of articles
// ids; readRelations reads their answers into list.
func queueRelations(b *pgx.Batch, ids []int64) {
	b.Queue(`SELECT aa.article_id, `+prefixed("au.", authorCols)+` FROM article_authors aa JOIN authors au ON au.id = aa.author_id
		WHERE aa.article_id = ANY($1) ORDER BY aa.article_id, aa.position`, ids)
	b.Queue(`SELECT article_id, `+tagLabel+` FROM article_tags WHERE article_id = ANY($1) ORDER BY article_id, position`, ids)
}

func readRelations(br pgx.BatchResults, list []news.Article) error {
	idx := make(map[int64]int, len(list))
	for i, a := range list {
		idx[a.ID] = i
	}
	rows, err := br.Query()
	if err != nil {
		return fmt.Errorf("load bylines: %w", err)
	}
	var aid int64
	var au news.Author
	var url, alt string
	_, err = pgx.ForEachRow(rows, []any{&aid, &au.ID, &au.Slug, &au.Name, &au.Title, &au.Email, &au.Bio, &url, &alt}, func() error {
		a := au
		if url != "" {
			a.Photo = &news.Image{URL: url, Alt: alt}
		}
		list[idx[aid]].Authors = append(list[idx[aid]].Authors, a)
		return nil
	})
	if err != nil {
		return fmt.Errorf("load bylines: %w", err)
	}
	rows, err = br.Query()
	if err != nil {
		return fmt.Errorf("load tags: %w", err)
	}
	var tag string
	_, err = pgx.ForEachRow(rows, []any{&aid, &tag}, func() error {
		list[idx[aid]].Tags = append(list[idx[aid]].Tags, tag)
		return nil
	})
	if err != nil {
		return fmt.Errorf("load tags: %w", err)
	}
	return nil
}

// fillRelations loads bylines and tags of a page of articles in one round
// trip, whatever the page size.
func (s *Store) fillRelations(ctx context.Context, list []news.Article) error {
	if len(list) == 0 {
		return nil
	}
	ids := make([]int64, len(list))
	for i, a := range list {
		ids[i] = a.ID
	}
	b := &pgx.Batch{}
	queueRelations(b, ids)
	br := s.pool.SendBatch(ctx, b)
	defer br.Close()
	if err := readRelations(br, list); err != nil {
		return err
	}
	return br.Close()
}

func prefixed(p, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}

// AddCorrection appends a dated public note to an article. One statement
// inserts the note and stamps the article's modified_at, so it is atomic
// without a transaction block.
func (s *Store) AddCorrection(ctx context.Context, c *news.Correction) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = now()
	}
	var id int64
	err := s.pool.QueryRow(ctx, `WITH c AS (
			INSERT INTO corrections(article_id, kind, body, created_at) VALUES ($1, $2, $3, $4) RETURNING id, article_id),
		u AS (UPDATE articles SET modified_at = $4 WHERE id = (SELECT article_id FROM c))
		SELECT id FROM c`, c.ArticleID, c.Kind, c.Body, ts(c.CreatedAt)).Scan(&id)
	if err != nil {
		if code, _ := pgCode(err); code == foreignKeyViolation {
			return news.NotFound("article")
		}
		return fmt.Errorf("add correction: %w", err)
	}
	c.ID = id
	return nil
}

func scanCorrection(r pgx.CollectableRow) (news.Correction, error) {
	var c news.Correction
	err := r.Scan(&c.ID, &c.ArticleID, &c.Kind, &c.Body, &c.CreatedAt)
	c.CreatedAt = c.CreatedAt.UTC()
	return c, err
}

// ListCorrections lists notes on visible articles, newest first.
func (s *Store) ListCorrections(ctx context.Context, limit, offset int) ([]news.Correction, error) {
	var w where
	w.visible(time.Now())
	sql := `SELECT id, article_id, kind, body, created_at FROM corrections
		WHERE article_id IN (SELECT a.id FROM articles a` + w.String() + `) ORDER BY created_at DESC, id DESC`
	sql += ` LIMIT ` + w.arg(clampLimit(limit, 50, 500)) + ` OFFSET ` + w.arg(max(offset, 0))
	rows, err := s.pool.Query(ctx, sql, w.args...)
	if err != nil {
		return nil, fmt.Errorf("load corrections: %w", err)
	}
	out, err := collect(rows, scanCorrection)
	if err != nil {
		return nil, fmt.Errorf("load corrections: %w", err)
	}
	return out, nil
}

// tagLabel is a tag as the editor wrote it (tags stored before labels
// were kept show as their lowercased key).
const tagLabel = `CASE WHEN label = '' THEN tag ELSE label END`

// ListTags lists tags of visible articles, most used first, then by code
// point (as SQLite orders text); tags that differ only in case are one.
func (s *Store) ListTags(ctx context.Context, limit int) ([]news.TagCount, error) {
	var w where
	w.visible(time.Now())
	sql := `SELECT min(` + tagLabel + ` COLLATE "C"), count(*) FROM article_tags t JOIN articles a ON a.id = t.article_id` + w.String() + `
		GROUP BY t.tag ORDER BY count(*) DESC, t.tag COLLATE "C"`
	sql += ` LIMIT ` + w.arg(clampLimit(limit, 50, 1000))
	rows, err := s.pool.Query(ctx, sql, w.args...)
	if err != nil {
		return nil, fmt.Errorf("list tags: %w", err)
	}
	out, err := collect(rows, func(r pgx.CollectableRow) (news.TagCount, error) {
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
func (s *Store) CountArticles(ctx context.Context) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM articles`).Scan(&n)
	return n, err
}
