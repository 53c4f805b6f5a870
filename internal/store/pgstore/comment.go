package pgstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"byline/internal/news"
)

var _ news.CommentStore = (*Store)(nil)

const commentCols = `c.id, c.article_id, COALESCE(c.parent_id, 0), COALESCE(c.reader_id, 0), c.author_name, c.reply_to, c.body, c.status, c.clause,
	c.shadow, c.recommends, c.reports, c.reply_count, c.edited_at, c.created_at, c.ip_hash, COALESCE(c.external_id, '')`

type scanner interface{ Scan(...any) error }

func scanComment(sc scanner, extra ...any) (news.Comment, error) {
	var c news.Comment
	var edited *time.Time
	dest := append([]any{&c.ID, &c.ArticleID, &c.ParentID, &c.ReaderID, &c.AuthorName, &c.ReplyTo, &c.Body, &c.Status, &c.Clause,
		&c.Shadow, &c.Recommends, &c.Reports, &c.ReplyCount, &edited, &c.CreatedAt, &c.IPHash, &c.ExternalID}, extra...)
	err := sc.Scan(dest...)
	c.CreatedAt = c.CreatedAt.UTC()
	c.EditedAt = fromTS(edited)
	c.Edited = edited != nil
	return c, err
}

func commentCounts(c news.Comment) int {
	if c.Status == news.CommentApproved && !c.Shadow {
		return 1
	}
	return 0
}

// adjustCounts keeps articles.comment_count and the parent's reply_count
// in step with a change of visibility, inside the caller's transaction.
func adjustCounts(ctx context.Context, tx pgx.Tx, c news.Comment, delta int) error {
	if delta == 0 {
		return nil
	}
	if _, err := tx.Exec(ctx, `UPDATE articles SET comment_count = GREATEST(0, comment_count + $1) WHERE id = $2`, delta, c.ArticleID); err != nil {
		return err
	}
	if c.ParentID != 0 {
		if _, err := tx.Exec(ctx, `UPDATE comments SET reply_count = GREATEST(0, reply_count + $1) WHERE id = $2`, delta, c.ParentID); err != nil {
			return err
		}
	}
	return nil
}

func isFK(err error) bool {
	c, _ := pgCode(err)
	return c == foreignKeyViolation
}

func insertComment(ctx context.Context, tx pgx.Tx, c *news.Comment) error {
	if c.ParentID != 0 {
		var parentArticle, grand int64
		err := tx.QueryRow(ctx, `SELECT article_id, COALESCE(parent_id, 0) FROM comments WHERE id = $1`, c.ParentID).Scan(&parentArticle, &grand)
		if err != nil {
			return notFoundOr(err, "parent comment")
		}
		if parentArticle != c.ArticleID {
			return news.Invalid("parent_id", "the parent comment belongs to another article")
		}
		if grand != 0 {
			return news.Invalid("parent_id", "replies are one level deep: answer the top-level comment")
		}
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = time.Now().UTC()
	}
	c.CreatedAt = c.CreatedAt.UTC().Truncate(time.Millisecond)
	var ext any
	if c.ExternalID != "" {
		ext = c.ExternalID
	}
	err := tx.QueryRow(ctx, `INSERT INTO comments(article_id, parent_id, reader_id, author_name, reply_to, body, status, clause, shadow,
		recommends, edited_at, created_at, ip_hash, external_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14) RETURNING id`,
		c.ArticleID, nullID(c.ParentID), nullID(c.ReaderID), c.AuthorName, c.ReplyTo, c.Body, c.Status, c.Clause, c.Shadow,
		c.Recommends, ts(c.EditedAt), c.CreatedAt, c.IPHash, ext).Scan(&c.ID)
	if err != nil {
		if isFK(err) {
			return news.NotFound("article or reader")
		}
		return fmt.Errorf("insert comment: %w", err)
	}
	return adjustCounts(ctx, tx, *c, commentCounts(*c))
}

// CreateComment stores a new comment and updates the counts in one
// transaction.
func (s *Store) CreateComment(ctx context.Context, c *news.Comment) error {
	if err := c.Validate(); err != nil {
		return err
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if err := insertComment(ctx, tx, c); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// ImportComment stores an imported comment once per ExternalID.
func (s *Store) ImportComment(ctx context.Context, c *news.Comment) error {
	if err := c.ValidateImport(); err != nil {
		return err
	}
	if c.Status == "" {
		c.Status = news.CommentApproved
	}
	if err := c.Validate(); err != nil {
		return err
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	var id int64
	err = tx.QueryRow(ctx, `SELECT id FROM comments WHERE external_id = $1`, c.ExternalID).Scan(&id)
	if err == nil {
		c.ID = id
		return nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	if err := insertComment(ctx, tx, c); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// CommentByID loads one comment whatever its status.
func (s *Store) CommentByID(ctx context.Context, id int64) (news.Comment, error) {
	c, err := scanComment(s.pool.QueryRow(ctx, `SELECT `+commentCols+` FROM comments c WHERE c.id = $1`, id))
	if err != nil {
		return c, notFoundOr(err, "comment")
	}
	return c, nil
}

const shownTop = `c.article_id = $1 AND c.parent_id IS NULL AND ((c.status = 'approved' AND NOT c.shadow) OR (c.status IN ('deleted', 'removed') AND c.reply_count > 0))`

func (s *Store) listComments(ctx context.Context, query string, args ...any) ([]news.Comment, error) {
	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []news.Comment
	for rows.Next() {
		c, err := scanComment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ListComments lists a page of top-level comments with their replies.
func (s *Store) ListComments(ctx context.Context, q news.CommentQuery) (news.CommentPage, error) {
	var p news.CommentPage
	if q.Limit <= 0 || q.Limit > 100 {
		q.Limit = 20
	}
	order := "c.created_at DESC, c.id DESC"
	switch q.Sort {
	case news.SortOldest:
		order = "c.created_at, c.id"
	case news.SortTop:
		order = "c.recommends DESC, c.created_at DESC, c.id DESC"
	}
	if err := s.pool.QueryRow(ctx, `SELECT COUNT(*) FROM comments c WHERE `+shownTop, q.ArticleID).Scan(&p.Total); err != nil {
		return p, err
	}
	tops, err := s.listComments(ctx, `SELECT `+commentCols+` FROM comments c WHERE `+shownTop+` ORDER BY `+order+` LIMIT $2 OFFSET $3`, q.ArticleID, q.Limit, q.Offset)
	if err != nil || len(tops) == 0 {
		return p, err
	}
	p.Comments = tops
	idx := map[int64]int{}
	ids := make([]int64, len(tops))
	for i, c := range tops {
		idx[c.ID], ids[i] = i, c.ID
	}
	replies, err := s.listComments(ctx, `SELECT `+commentCols+` FROM comments c WHERE c.parent_id = ANY($1)
		AND c.status = 'approved' AND NOT c.shadow ORDER BY c.created_at, c.id`, ids)
	if err != nil {
		return p, err
	}
	for _, r := range replies {
		i := idx[r.ParentID]
		p.Comments[i].Replies = append(p.Comments[i].Replies, r)
	}
	return p, nil
}

// ReaderCommentsOn lists a reader's comments on one article.
func (s *Store) ReaderCommentsOn(ctx context.Context, readerID, articleID int64) ([]news.Comment, error) {
	return s.listComments(ctx, `SELECT `+commentCols+` FROM comments c WHERE c.reader_id = $1 AND c.article_id = $2 ORDER BY c.created_at DESC LIMIT 200`, readerID, articleID)
}

// ReaderComments lists a reader's comments, newest first.
func (s *Store) ReaderComments(ctx context.Context, readerID int64, limit, offset int) ([]news.Comment, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	return s.listComments(ctx, `SELECT `+commentCols+` FROM comments c WHERE c.reader_id = $1 ORDER BY c.created_at DESC, c.id DESC LIMIT $2 OFFSET $3`, readerID, limit, offset)
}

// EditComment replaces a comment's text.
func (s *Store) EditComment(ctx context.Context, id int64, body string, at time.Time) error {
	if err := news.ValidateText(body); err != nil {
		return err
	}
	tag, err := s.pool.Exec(ctx, `UPDATE comments SET body = $1, edited_at = $2 WHERE id = $3`, body, ts(at), id)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return news.NotFound("comment")
	}
	return nil
}

// SetCommentStatus moves a comment and keeps the counts right.
func (s *Store) SetCommentStatus(ctx context.Context, id int64, status news.CommentStatus, clause string) error {
	if err := status.Validate(); err != nil {
		return err
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	c, err := scanComment(tx.QueryRow(ctx, `SELECT `+commentCols+` FROM comments c WHERE c.id = $1 FOR UPDATE`, id))
	if err != nil {
		return notFoundOr(err, "comment")
	}
	before := commentCounts(c)
	c.Status, c.Clause = status, clause
	q := `UPDATE comments SET status = $1, clause = $2 WHERE id = $3`
	if status == news.CommentDeleted {
		q = `UPDATE comments SET status = $1, clause = $2, body = '' WHERE id = $3`
	}
	if _, err := tx.Exec(ctx, q, status, clause, id); err != nil {
		return err
	}
	if err := adjustCounts(ctx, tx, c, commentCounts(c)-before); err != nil {
		return err
	}
	if status != news.CommentPending {
		if _, err := tx.Exec(ctx, `UPDATE comment_reports SET resolved = true WHERE comment_id = $1`, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE comments SET open_reports = 0 WHERE id = $1`, id); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

// RecommendComment adds one recommendation per reader.
func (s *Store) RecommendComment(ctx context.Context, commentID, readerID int64) (int, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `INSERT INTO comment_recommends(comment_id, reader_id, created_at) VALUES ($1,$2,$3)`, commentID, readerID, ts(time.Now())); err != nil {
		if isUnique(err) {
			return 0, news.Errorf(news.KindConflict, "you have already recommended this comment")
		}
		if isFK(err) {
			return 0, news.NotFound("comment")
		}
		return 0, err
	}
	var n int
	if err := tx.QueryRow(ctx, `UPDATE comments SET recommends = recommends + 1 WHERE id = $1 RETURNING recommends`, commentID).Scan(&n); err != nil {
		return 0, notFoundOr(err, "comment")
	}
	return n, tx.Commit(ctx)
}

// ReaderRecommendations lists the comments of an article a reader
// recommended.
func (s *Store) ReaderRecommendations(ctx context.Context, readerID, articleID int64) ([]int64, error) {
	rows, err := s.pool.Query(ctx, `SELECT r.comment_id FROM comment_recommends r JOIN comments c ON c.id = r.comment_id
		WHERE r.reader_id = $1 AND c.article_id = $2`, readerID, articleID)
	if err != nil {
		return nil, err
	}
	return collect(rows, pgx.RowTo[int64])
}

// ReportComment records a report once per reader.
func (s *Store) ReportComment(ctx context.Context, r *news.CommentReport) (int, error) {
	if err := r.Validate(); err != nil {
		return 0, err
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = time.Now().UTC()
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback(ctx)
	err = tx.QueryRow(ctx, `INSERT INTO comment_reports(comment_id, reader_id, clause, note, created_at) VALUES ($1,$2,$3,$4,$5) RETURNING id`,
		r.CommentID, r.ReaderID, r.Clause, r.Note, ts(r.CreatedAt)).Scan(&r.ID)
	if err != nil {
		if isUnique(err) {
			return 0, news.Errorf(news.KindConflict, "you have already reported this comment")
		}
		if isFK(err) {
			return 0, news.NotFound("comment")
		}
		return 0, err
	}
	var n int
	if err := tx.QueryRow(ctx, `UPDATE comments SET reports = reports + 1, open_reports = open_reports + 1 WHERE id = $1 RETURNING reports`, r.CommentID).Scan(&n); err != nil {
		return 0, notFoundOr(err, "comment")
	}
	return n, tx.Commit(ctx)
}

// ModerationQueue lists what waits for a moderator.
func (s *Store) ModerationQueue(ctx context.Context, limit, offset int) ([]news.ModerationQueueItem, error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	rows, err := s.pool.Query(ctx, `SELECT `+commentCols+`, a.headline FROM comments c JOIN articles a ON a.id = c.article_id
		WHERE c.status = 'pending' OR (c.status = 'approved' AND c.open_reports > 0)
		ORDER BY c.created_at, c.id LIMIT $1 OFFSET $2`, limit, offset)
	if err != nil {
		return nil, err
	}
	var out []news.ModerationQueueItem
	idx := map[int64]int{}
	for rows.Next() {
		var it news.ModerationQueueItem
		c, err := scanComment(rows, &it.Headline)
		if err != nil {
			rows.Close()
			return nil, err
		}
		it.Comment = c
		idx[c.ID] = len(out)
		out = append(out, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	ids := make([]int64, 0, len(out))
	for _, it := range out {
		ids = append(ids, it.Comment.ID)
	}
	rows, err = s.pool.Query(ctx, `SELECT id, comment_id, reader_id, clause, note, created_at FROM comment_reports
		WHERE NOT resolved AND comment_id = ANY($1) ORDER BY created_at, id`, ids)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var r news.CommentReport
		if err := rows.Scan(&r.ID, &r.CommentID, &r.ReaderID, &r.Clause, &r.Note, &r.CreatedAt); err != nil {
			return nil, err
		}
		r.CreatedAt = r.CreatedAt.UTC()
		i := idx[r.CommentID]
		out[i].Reports = append(out[i].Reports, r)
	}
	return out, rows.Err()
}

// ResolveReports marks a comment's reports handled.
func (s *Store) ResolveReports(ctx context.Context, commentID int64) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `UPDATE comment_reports SET resolved = true WHERE comment_id = $1`, commentID); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE comments SET open_reports = 0 WHERE id = $1`, commentID); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// ExportComments lists comments of an article or of the site.
func (s *Store) ExportComments(ctx context.Context, articleID int64) ([]news.Comment, error) {
	if articleID > 0 {
		return s.listComments(ctx, `SELECT `+commentCols+` FROM comments c WHERE c.article_id = $1 ORDER BY c.created_at, c.id`, articleID)
	}
	return s.listComments(ctx, `SELECT `+commentCols+` FROM comments c ORDER BY c.created_at, c.id`)
}

// RecentComments lists a reader's comments since t, newest first.
func (s *Store) RecentComments(ctx context.Context, readerID int64, since time.Time) ([]news.RecentComment, error) {
	rows, err := s.pool.Query(ctx, `SELECT body, created_at FROM comments WHERE reader_id = $1 AND created_at >= $2 ORDER BY created_at DESC, id DESC LIMIT 50`, readerID, ts(since))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []news.RecentComment
	for rows.Next() {
		var rc news.RecentComment
		if err := rows.Scan(&rc.Body, &rc.CreatedAt); err != nil {
			return nil, err
		}
		rc.CreatedAt = rc.CreatedAt.UTC()
		out = append(out, rc)
	}
	return out, rows.Err()
}

// CommentTarget reads what posting needs of an article in one query.
func (s *Store) CommentTarget(ctx context.Context, articleID int64) (news.CommentTarget, error) {
	var t news.CommentTarget
	var published, embargo *time.Time
	var mode *string
	err := s.pool.QueryRow(ctx, `SELECT a.id, a.slug, a.headline, a.status, a.published_at, a.embargo_until, m.mode, a.comment_count
		FROM articles a LEFT JOIN article_comment_modes m ON m.article_id = a.id WHERE a.id = $1`, articleID).
		Scan(&t.ID, &t.Slug, &t.Headline, &t.Status, &published, &embargo, &mode, &t.CommentCount)
	if err != nil {
		return t, notFoundOr(err, "article")
	}
	t.PublishedAt, t.EmbargoUntil = fromTS(published), fromTS(embargo)
	t.Mode = news.CommentsOpen
	if mode != nil {
		t.Mode = news.ArticleCommentMode(*mode)
	}
	return t, nil
}

// CountReaderComments counts a reader's comments.
func (s *Store) CountReaderComments(ctx context.Context, readerID int64) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT COUNT(*) FROM comments WHERE reader_id = $1`, readerID).Scan(&n)
	return n, err
}

// ArticleCommentMode is the article's switch (open by default).
func (s *Store) ArticleCommentMode(ctx context.Context, articleID int64) (news.ArticleCommentMode, error) {
	var m string
	err := s.pool.QueryRow(ctx, `SELECT mode FROM article_comment_modes WHERE article_id = $1`, articleID).Scan(&m)
	if errors.Is(err, pgx.ErrNoRows) {
		return news.CommentsOpen, nil
	}
	return news.ArticleCommentMode(m), err
}

// SetArticleCommentMode sets the article's switch.
func (s *Store) SetArticleCommentMode(ctx context.Context, articleID int64, m news.ArticleCommentMode) error {
	if err := m.Validate(); err != nil {
		return err
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO article_comment_modes(article_id, mode) VALUES ($1, $2)
		ON CONFLICT (article_id) DO UPDATE SET mode = excluded.mode`, articleID, m)
	if isFK(err) {
		return news.NotFound("article")
	}
	return err
}
