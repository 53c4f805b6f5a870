package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"byline/internal/news"
)

// listCols are the columns lists need; bodies are loaded only on demand.
const listCols = `a.id, a.slug, a.section_id, s.slug, s.path, s.name, COALESCE(s.parent_id, 0), a.headline, a.dek, a.dateline, a.status, a.top, a.breaking,
	a.seo_title, a.seo_description, a.image_url, a.image_alt, a.image_caption, a.image_credit, a.image_width, a.image_height, a.image_srcset,
	a.created_at, a.published_at, a.updated_at, a.modified_at, a.embargo_until, a.version, a.comment_count`

func scanArticle(sc interface{ Scan(...any) error }, withBody bool) (news.Article, error) {
	var a news.Article
	var img news.Image
	var created, modified int64
	var published, updated, embargo sql.NullInt64
	dest := []any{&a.ID, &a.Slug, &a.SectionID, &a.Section.Slug, &a.Section.Path, &a.Section.Name, &a.Section.ParentID, &a.Headline, &a.Dek, &a.Dateline, &a.Status, &a.Top, &a.Breaking,
		&a.SEOTitle, &a.SEODescription, &img.URL, &img.Alt, &img.Caption, &img.Credit, &img.Width, &img.Height, &img.SrcSet,
		&created, &published, &updated, &modified, &embargo, &a.Version, &a.CommentCount}
	if withBody {
		dest = append(dest, &a.Body, &a.BodyText)
	}
	if err := sc.Scan(dest...); err != nil {
		return a, err
	}
	a.Section.ID = a.SectionID
	if img.URL != "" {
		a.Image = &img
	}
	a.CreatedAt = time.UnixMilli(created).UTC()
	a.ModifiedAt = time.UnixMilli(modified).UTC()
	a.PublishedAt = fromMS(published)
	a.UpdatedAt = fromMS(updated)
	a.EmbargoUntil = fromMS(embargo)
	return a, nil
}

func imageCols(a *news.Article) []any {
	img := a.Image
	if img == nil {
		img = &news.Image{}
	}
	return []any{img.URL, img.Alt, img.Caption, img.Credit, img.Width, img.Height, img.SrcSet}
}

// CreateArticle inserts an article with its bylines and tags in one
// transaction.
func (s *Store) CreateArticle(ctx context.Context, a *news.Article) error {
	if err := a.Validate(); err != nil {
		return err
	}
	now := time.Now().UTC()
	if a.CreatedAt.IsZero() {
		a.CreatedAt = now
	}
	a.ModifiedAt = now
	if a.Status == news.StatusPublished && a.PublishedAt.IsZero() {
		a.PublishedAt = now
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	args := []any{a.Slug, a.SectionID, a.Headline, a.Dek, a.Body, a.BodyText, a.Dateline, a.Status, a.Top, a.Breaking, a.SEOTitle, a.SEODescription}
	args = append(args, imageCols(a)...)
	args = append(args, a.CreatedAt.UnixMilli(), ms(a.PublishedAt), ms(a.UpdatedAt), a.ModifiedAt.UnixMilli(), ms(a.EmbargoUntil))
	res, err := tx.ExecContext(ctx, `INSERT INTO articles(slug, section_id, headline, dek, body, body_text, dateline, status, top, breaking, seo_title, seo_description,
		image_url, image_alt, image_caption, image_credit, image_width, image_height, image_srcset,
		created_at, published_at, updated_at, modified_at, embargo_until, version)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?, ?,?,?,?,?,?,?, ?,?,?,?,?, 1)`, args...)
	if err != nil {
		return s.articleWriteError(err)
	}
	a.ID, _ = res.LastInsertId()
	a.Version = 1
	if err := writeBylinesAndTags(ctx, tx, a); err != nil {
		return err
	}
	if err := indexArticle(ctx, tx, a, true); err != nil {
		return err
	}
	return tx.Commit()
}

func (s *Store) articleWriteError(err error) error {
	if strings.Contains(err.Error(), "FOREIGN KEY") {
		return news.Invalid("section", "the section or an author does not exist")
	}
	return fmt.Errorf("write article: %w", err)
}

func writeBylinesAndTags(ctx context.Context, tx *sql.Tx, a *news.Article) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM article_authors WHERE article_id = ?`, a.ID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM article_tags WHERE article_id = ?`, a.ID); err != nil {
		return err
	}
	seen := map[int64]bool{}
	for i, au := range a.Authors {
		if seen[au.ID] {
			continue
		}
		seen[au.ID] = true
		if _, err := tx.ExecContext(ctx, `INSERT INTO article_authors(article_id, author_id, position) VALUES (?, ?, ?)`, a.ID, au.ID, i); err != nil {
			if strings.Contains(err.Error(), "FOREIGN KEY") {
				return news.Invalid("authors", "author %d does not exist", au.ID)
			}
			return fmt.Errorf("write byline: %w", err)
		}
	}
	for i, t := range a.Tags {
		if _, err := tx.ExecContext(ctx, `INSERT INTO article_tags(article_id, tag, label, position) VALUES (?, ?, ?, ?)`, a.ID, news.NormalizeTag(t), t, i); err != nil {
			return fmt.Errorf("write tag: %w", err)
		}
	}
	return nil
}

// UpdateArticle saves an article if nobody saved it since a.Version was read.
func (s *Store) UpdateArticle(ctx context.Context, a *news.Article) error {
	if err := a.Validate(); err != nil {
		return err
	}
	a.ModifiedAt = time.Now().UTC()
	if a.Status == news.StatusPublished && a.PublishedAt.IsZero() {
		a.PublishedAt = a.ModifiedAt
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	args := []any{a.Slug, a.SectionID, a.Headline, a.Dek, a.Body, a.BodyText, a.Dateline, a.Status, a.Top, a.Breaking, a.SEOTitle, a.SEODescription}
	args = append(args, imageCols(a)...)
	args = append(args, ms(a.PublishedAt), ms(a.UpdatedAt), a.ModifiedAt.UnixMilli(), ms(a.EmbargoUntil), a.ID, a.Version)
	res, err := tx.ExecContext(ctx, `UPDATE articles SET slug=?, section_id=?, headline=?, dek=?, body=?, body_text=?, dateline=?, status=?, top=?, breaking=?, seo_title=?, seo_description=?,
		image_url=?, image_alt=?, image_caption=?, image_credit=?, image_width=?, image_height=?, image_srcset=?,
		published_at=?, updated_at=?, modified_at=?, embargo_until=?, version = version + 1
		WHERE id = ? AND version = ?`, args...)
	if err != nil {
		return s.articleWriteError(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		var v int
		if err := tx.QueryRowContext(ctx, `SELECT version FROM articles WHERE id = ?`, a.ID).Scan(&v); err != nil {
			return notFoundOr(err, "article")
		}
		return &news.Error{Kind: news.KindConflict, Field: "version",
			Message: fmt.Sprintf("this article was changed by someone else since you opened it (your version %d, saved version %d)", a.Version, v)}
	}
	if err := writeBylinesAndTags(ctx, tx, a); err != nil {
		return err
	}
	if err := indexArticle(ctx, tx, a, false); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	a.Version++
	return nil
}

// ArticleByID loads an article whatever its status.
func (s *Store) ArticleByID(ctx context.Context, id int64) (news.Article, error) {
	a, err := scanArticle(s.r.QueryRowContext(ctx, `SELECT `+listCols+`, a.body, a.body_text FROM articles a JOIN sections s ON s.id = a.section_id WHERE a.id = ?`, id), true)
	if err != nil {
		return a, notFoundOr(err, "article")
	}
	list := []news.Article{a}
	if err := s.fillRelations(ctx, list); err != nil {
		return a, err
	}
	a = list[0]
	a.Corrections, err = s.corrections(ctx, `WHERE article_id = ? ORDER BY created_at, id`, a.ID)
	return a, err
}

// visibleWhere is the condition for "readers may see it at now".
const visibleWhere = `a.status = 'published' AND a.published_at <= ? AND (a.embargo_until IS NULL OR a.embargo_until <= ?)`

func (q *whereBuilder) visible(now time.Time) {
	q.add(visibleWhere, now.UnixMilli(), now.UnixMilli())
}

type whereBuilder struct {
	conds []string
	args  []any
}

func (q *whereBuilder) add(cond string, args ...any) {
	q.conds = append(q.conds, cond)
	q.args = append(q.args, args...)
}

func (q *whereBuilder) in(col string, ids []int64) {
	if len(ids) == 0 {
		return
	}
	ph := strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	q.add(col+` IN (`+ph+`)`, args...)
}

func (q *whereBuilder) String() string {
	if len(q.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(q.conds, " AND ")
}

func clampLimit(n, def, most int) int {
	if n <= 0 {
		return def
	}
	return min(n, most)
}

// ListArticles lists articles, newest first.
func (s *Store) ListArticles(ctx context.Context, q news.ArticleQuery) (news.ArticlePage, error) {
	now := q.Now
	if now.IsZero() {
		now = time.Now()
	}
	var w whereBuilder
	if q.Status == "" {
		w.visible(now)
	} else {
		w.add(`a.status = ?`, q.Status)
	}
	w.in("a.section_id", q.SectionIDs)
	if q.Tag != "" {
		w.add(`a.id IN (SELECT article_id FROM article_tags WHERE tag = ?)`, news.NormalizeTag(q.Tag))
	}
	if q.AuthorID != 0 {
		w.add(`a.id IN (SELECT article_id FROM article_authors WHERE author_id = ?)`, q.AuthorID)
	}
	from := `articles a`
	if q.TopOnly {
		// Without this hint SQLite walks the whole archive by date to
		// find the few top stories; the partial index holds just them.
		from = `articles a INDEXED BY articles_top`
		w.add(`a.top = 1 AND a.status = 'published'`)
	}
	if !q.Since.IsZero() {
		w.add(`a.published_at >= ?`, q.Since.UnixMilli())
	}
	if !q.Until.IsZero() {
		w.add(`a.published_at < ?`, q.Until.UnixMilli())
	}
	var page news.ArticlePage
	if !q.SkipTotal {
		if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM `+from+w.String(), w.args...).Scan(&page.Total); err != nil {
			return page, fmt.Errorf("count articles: %w", err)
		}
		if q.Offset >= page.Total {
			return page, nil
		}
	}
	limit := clampLimit(q.Limit, 20, 1000)
	if q.Offset < 0 {
		return page, nil
	}
	cols := listCols
	if q.WithBody {
		cols += `, a.body, a.body_text`
	}
	order := ` ORDER BY a.published_at DESC, a.id DESC`
	if q.Status != "" && q.Status != news.StatusPublished {
		order = ` ORDER BY a.modified_at DESC, a.id DESC`
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+cols+` FROM `+from+` JOIN sections s ON s.id = a.section_id`+w.String()+order+` LIMIT ? OFFSET ?`,
		append(w.args, limit, q.Offset)...)
	if err != nil {
		return page, fmt.Errorf("list articles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		a, err := scanArticle(rows, q.WithBody)
		if err != nil {
			return page, err
		}
		page.Articles = append(page.Articles, a)
	}
	if err := rows.Err(); err != nil {
		return page, err
	}
	return page, s.fillRelations(ctx, page.Articles)
}

// fillRelations loads bylines and tags of a page of articles with two
// queries, whatever the page size.
func (s *Store) fillRelations(ctx context.Context, list []news.Article) error {
	if len(list) == 0 {
		return nil
	}
	idx := make(map[int64]int, len(list))
	ids := make([]any, len(list))
	for i, a := range list {
		idx[a.ID] = i
		ids[i] = a.ID
	}
	ph := strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")
	rows, err := s.r.QueryContext(ctx, `SELECT aa.article_id, `+prefixed("au.", authorCols)+` FROM article_authors aa JOIN authors au ON au.id = aa.author_id
		WHERE aa.article_id IN (`+ph+`) ORDER BY aa.article_id, aa.position`, ids...)
	if err != nil {
		return fmt.Errorf("load bylines: %w", err)
	}
	for rows.Next() {
		var aid int64
		var au news.Author
		var url, alt string
		if err := rows.Scan(&aid, &au.ID, &au.Slug, &au.Name, &au.Title, &au.Email, &au.Bio, &url, &alt); err != nil {
			rows.Close()
			return err
		}
		if url != "" {
			au.Photo = &news.Image{URL: url, Alt: alt}
		}
		list[idx[aid]].Authors = append(list[idx[aid]].Authors, au)
	}
	rows.Close()
	rows, err = s.r.QueryContext(ctx, `SELECT article_id, `+tagLabel+` FROM article_tags WHERE article_id IN (`+ph+`) ORDER BY article_id, position`, ids...)
	if err != nil {
		return fmt.Errorf("load tags: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var aid int64
		var t string
		if err := rows.Scan(&aid, &t); err != nil {
			return err
		}
		list[idx[aid]].Tags = append(list[idx[aid]].Tags, t)
	}
	return rows.Err()
}

func prefixed(p, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}

// AddCorrection appends a dated public note to an article.
func (s *Store) AddCorrection(ctx context.Context, c *news.Correction) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = time.Now().UTC()
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO corrections(article_id, kind, body, created_at) VALUES (?, ?, ?, ?)`, c.ArticleID, c.Kind, c.Body, c.CreatedAt.UnixMilli())
	if err != nil {
		if strings.Contains(err.Error(), "FOREIGN KEY") {
			return news.NotFound("article")
		}
		return fmt.Errorf("add correction: %w", err)
	}
	c.ID, _ = res.LastInsertId()
	if _, err := tx.ExecContext(ctx, `UPDATE articles SET modified_at = ? WHERE id = ?`, c.CreatedAt.UnixMilli(), c.ArticleID); err != nil {
		return err
	}
	return tx.Commit()
}

func (s *Store) corrections(ctx context.Context, where string, args ...any) ([]news.Correction, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, article_id, kind, body, created_at FROM corrections `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("load corrections: %w", err)
	}
	defer rows.Close()
	var out []news.Correction
	for rows.Next() {
		var c news.Correction
		var at int64
		if err := rows.Scan(&c.ID, &c.ArticleID, &c.Kind, &c.Body, &at); err != nil {
			return nil, err
		}
		c.CreatedAt = time.UnixMilli(at).UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}

// ListCorrections lists notes on visible articles, newest first.
func (s *Store) ListCorrections(ctx context.Context, limit, offset int) ([]news.Correction, error) {
	now := time.Now().UnixMilli()
	return s.corrections(ctx, `WHERE article_id IN (SELECT a.id FROM articles a WHERE `+visibleWhere+`) ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
		now, now, clampLimit(limit, 50, 500), max(offset, 0))
}

// tagLabel is a tag as the editor wrote it (tags stored before labels
// were kept show as their lowercased key).
const tagLabel = `CASE WHEN label = '' THEN tag ELSE label END`

// ListTags lists tags of visible articles, most used first; tags that
// differ only in case are one (shown in one of the ways they were written).
func (s *Store) ListTags(ctx context.Context, limit int) ([]news.TagCount, error) {
	now := time.Now().UnixMilli()
	rows, err := s.r.QueryContext(ctx, `SELECT min(`+tagLabel+`), count(*) FROM article_tags t JOIN articles a ON a.id = t.article_id WHERE `+visibleWhere+`
		GROUP BY t.tag ORDER BY count(*) DESC, t.tag LIMIT ?`, now, now, clampLimit(limit, 50, 1000))
	if err != nil {
		return nil, fmt.Errorf("list tags: %w", err)
	}
	defer rows.Close()
	var out []news.TagCount
	for rows.Next() {
		var t news.TagCount
		if err := rows.Scan(&t.Tag, &t.Count); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// CountArticles counts articles of every status.
func (s *Store) CountArticles(ctx context.Context) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM articles`).Scan(&n)
	return n, err
}
