package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"byline/internal/news"
)

var _ news.CommentStore = (*Store)(nil)

const commentCols = `c.id, c.article_id, COALESCE(c.parent_id, 0), COALESCE(c.reader_id, 0), c.author_name, c.reply_to, c.body, c.status, c.clause,
	c.shadow, c.recommends, c.reports, c.reply_count, c.edited_at, c.created_at, c.ip_hash, COALESCE(c.external_id, '')`

func scanComment(sc interface{ Scan(...any) error }) (news.Comment, error) {
	var c news.Comment
	var edited sql.NullInt64
	var created int64
	err := sc.Scan(&c.ID, &c.ArticleID, &c.ParentID, &c.ReaderID, &c.AuthorName, &c.ReplyTo, &c.Body, &c.Status, &c.Clause,
		&c.Shadow, &c.Recommends, &c.Reports, &c.ReplyCount, &edited, &created, &c.IPHash, &c.ExternalID)
	c.CreatedAt = time.UnixMilli(created).UTC()
	c.EditedAt = fromMS(edited)
	c.Edited = edited.Valid
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
func adjustCounts(ctx context.Context, tx *sql.Tx, c news.Comment, delta int) error {
	if delta == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE articles SET comment_count = MAX(0, comment_count + ?) WHERE id = ?`, delta, c.ArticleID); err != nil {
		return err
	}
	if c.ParentID != 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE comments SET reply_count = MAX(0, reply_count + ?) WHERE id = ?`, delta, c.ParentID); err != nil {
			return err
		}
	}
	return nil
}

const insertCommentSQL = `INSERT INTO comments(article_id, parent_id, reader_id, author_name, reply_to, body, status, clause, shadow,
	recommends, edited_at, created_at, ip_hash, external_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`

// insertStmt prepares the insert on the writer. It must be called before
// a write transaction begins: the writer pool has one connection, which
// the transaction holds.
func (s *Store) insertStmt(ctx context.Context) (*sql.Stmt, error) {
	return s.prepared(ctx, s.w, insertCommentSQL)
}

func (s *Store) insertComment(ctx context.Context, tx *sql.Tx, ins *sql.Stmt, c *news.Comment) error {
	if c.ParentID != 0 {
		var parentArticle, grand int64
		err := tx.QueryRowContext(ctx, `SELECT article_id, COALESCE(parent_id, 0) FROM comments WHERE id = ?`, c.ParentID).Scan(&parentArticle, &grand)
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
	var ext any
	if c.ExternalID != "" {
		ext = c.ExternalID
	}
	res, err := tx.StmtContext(ctx, ins).ExecContext(ctx,
		c.ArticleID, nullID(c.ParentID), nullID(c.ReaderID), c.AuthorName, c.ReplyTo, c.Body, c.Status, c.Clause, c.Shadow,
		c.Recommends, ms(c.EditedAt), c.CreatedAt.UnixMilli(), c.IPHash, ext)
	if err != nil {
		if strings.Contains(err.Error(), "FOREIGN KEY") {
			return news.NotFound("article or reader")
		}
		return fmt.Errorf("insert comment: %w", err)
	}
	c.ID, _ = res.LastInsertId()
	return adjustCounts(ctx, tx, *c, commentCounts(*c))
}

// CreateComment stores a new comment and updates the counts in one
// transaction.
func (s *Store) CreateComment(ctx context.Context, c *news.Comment) error {
	if err := c.Validate(); err != nil {
		return err
	}
	ins, err := s.insertStmt(ctx)
	if err != nil {
		return err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := s.insertComment(ctx, tx, ins, c); err != nil {
		return err
	}
	return tx.Commit()
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
	ins, err := s.insertStmt(ctx)
	if err != nil {
		return err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var id int64
	err = tx.QueryRowContext(ctx, `SELECT id FROM comments WHERE external_id = ?`, c.ExternalID).Scan(&id)
	if err == nil {
		c.ID = id
		return nil
	}
	if err != sql.ErrNoRows {
		return err
	}
	if err := s.insertComment(ctx, tx, ins, c); err != nil {
		return err
	}
	return tx.Commit()
}

// CommentByID loads one comment whatever its status.
func (s *Store) CommentByID(ctx context.Context, id int64) (news.Comment, error) {
	c, err := scanComment(s.r.QueryRowContext(ctx, `SELECT `+commentCols+` FROM comments c WHERE c.id = ?`, id))
	if err != nil {
		return c, notFoundOr(err, "comment")
	}
	return c, nil
}

const shownTop = `c.article_id = ? AND c.parent_id IS NULL AND ((c.status = 'approved' AND c.shadow = 0) OR (c.status IN ('deleted', 'removed') AND c.reply_count > 0))`

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
	if err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM comments c WHERE `+shownTop, q.ArticleID).Scan(&p.Total); err != nil {
		return p, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+commentCols+` FROM comments c WHERE `+shownTop+` ORDER BY `+order+` LIMIT ? OFFSET ?`, q.ArticleID, q.Limit, q.Offset)
	if err != nil {
		return p, err
	}
	idx := map[int64]int{}
	var ids []any
	for rows.Next() {
		c, err := scanComment(rows)
		if err != nil {
			rows.Close()
			return p, err
		}
		idx[c.ID] = len(p.Comments)
		ids = append(ids, c.ID)
		p.Comments = append(p.Comments, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(ids) == 0 {
		return p, err
	}
	rows, err = s.r.QueryContext(ctx, `SELECT `+commentCols+` FROM comments c WHERE c.parent_id IN (?`+strings.Repeat(",?", len(ids)-1)+`)
		AND +c.status = 'approved' AND c.shadow = 0 ORDER BY c.created_at, c.id`, ids...) // unary + keeps SQLite on the parent index
	if err != nil {
		return p, err
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanComment(rows)
		if err != nil {
			return p, err
		}
		i := idx[c.ParentID]
		p.Comments[i].Replies = append(p.Comments[i].Replies, c)
	}
	return p, rows.Err()
}

func (s *Store) listComments(ctx context.Context, query string, args ...any) ([]news.Comment, error) {
	rows, err := s.r.QueryContext(ctx, query, args...)
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

// ReaderCommentsOn lists a reader's comments on one article.
func (s *Store) ReaderCommentsOn(ctx context.Context, readerID, articleID int64) ([]news.Comment, error) {
	return s.listComments(ctx, `SELECT `+commentCols+` FROM comments c WHERE c.reader_id = ? AND c.article_id = ? ORDER BY c.created_at DESC LIMIT 200`, readerID, articleID)
}

// ReaderComments lists a reader's comments, newest first.
func (s *Store) ReaderComments(ctx context.Context, readerID int64, limit, offset int) ([]news.Comment, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	return s.listComments(ctx, `SELECT `+commentCols+` FROM comments c WHERE c.reader_id = ? ORDER BY c.created_at DESC, c.id DESC LIMIT ? OFFSET ?`, readerID, limit, offset)
}

// EditComment replaces a comment's text.
func (s *Store) EditComment(ctx context.Context, id int64, body string, at time.Time) error {
	if err := news.ValidateText(body); err != nil {
		return err
	}
	res, err := s.w.ExecContext(ctx, `UPDATE comments SET body = ?, edited_at = ? WHERE id = ?`, body, at.UnixMilli(), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.NotFound("comment")
	}
	return nil
}

// SetCommentStatus moves a comment and keeps the counts right. Deleting
// a comment without replies removes it; with replies it stays as a stub
// without text.
func (s *Store) SetCommentStatus(ctx context.Context, id int64, status news.CommentStatus, clause string) error {
	if err := status.Validate(); err != nil {
		return err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	c, err := scanComment(tx.QueryRowContext(ctx, `SELECT `+commentCols+` FROM comments c WHERE c.id = ?`, id))
	if err != nil {
		return notFoundOr(err, "comment")
	}
	before := commentCounts(c)
	c.Status, c.Clause = status, clause
	if status == news.CommentDeleted {
		if _, err := tx.ExecContext(ctx, `UPDATE comments SET status = ?, clause = ?, body = '' WHERE id = ?`, status, clause, id); err != nil {
			return err
		}
	} else if _, err := tx.ExecContext(ctx, `UPDATE comments SET status = ?, clause = ? WHERE id = ?`, status, clause, id); err != nil {
		return err
	}
	if err := adjustCounts(ctx, tx, c, commentCounts(c)-before); err != nil {
		return err
	}
	if status == news.CommentApproved || status == news.CommentRemoved || status == news.CommentRejected || status == news.CommentDeleted {
		if _, err := tx.ExecContext(ctx, `UPDATE comment_reports SET resolved = 1 WHERE comment_id = ?`, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE comments SET open_reports = 0 WHERE id = ?`, id); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// RecommendComment adds one recommendation per reader.
func (s *Store) RecommendComment(ctx context.Context, commentID, readerID int64) (int, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO comment_recommends(comment_id, reader_id, created_at) VALUES (?,?,?)`, commentID, readerID, time.Now().UnixMilli()); err != nil {
		if isUnique(err) || strings.Contains(err.Error(), "PRIMARY KEY") {
			return 0, news.Errorf(news.KindConflict, "you have already recommended this comment")
		}
		if strings.Contains(err.Error(), "FOREIGN KEY") {
			return 0, news.NotFound("comment")
		}
		return 0, err
	}
	var n int
	if err := tx.QueryRowContext(ctx, `UPDATE comments SET recommends = recommends + 1 WHERE id = ? RETURNING recommends`, commentID).Scan(&n); err != nil {
		return 0, notFoundOr(err, "comment")
	}
	return n, tx.Commit()
}

// ReaderRecommendations lists the comments of an article a reader
// recommended.
func (s *Store) ReaderRecommendations(ctx context.Context, readerID, articleID int64) ([]int64, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT r.comment_id FROM comment_recommends r JOIN comments c ON c.id = r.comment_id
		WHERE r.reader_id = ? AND c.article_id = ?`, readerID, articleID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// ReportComment records a report once per reader.
func (s *Store) ReportComment(ctx context.Context, r *news.CommentReport) (int, error) {
	if err := r.Validate(); err != nil {
		return 0, err
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = time.Now().UTC()
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO comment_reports(comment_id, reader_id, clause, note, created_at) VALUES (?,?,?,?,?)`,
		r.CommentID, r.ReaderID, r.Clause, r.Note, r.CreatedAt.UnixMilli())
	if err != nil {
		if isUnique(err) {
			return 0, news.Errorf(news.KindConflict, "you have already reported this comment")
		}
		if strings.Contains(err.Error(), "FOREIGN KEY") {
			return 0, news.NotFound("comment")
		}
		return 0, err
	}
	r.ID, _ = res.LastInsertId()
	var n int
	if err := tx.QueryRowContext(ctx, `UPDATE comments SET reports = reports + 1, open_reports = open_reports + 1 WHERE id = ? RETURNING reports`, r.CommentID).Scan(&n); err != nil {
		return 0, notFoundOr(err, "comment")
	}
	return n, tx.Commit()
}

// ModerationQueue lists what waits for a moderator.
func (s *Store) ModerationQueue(ctx context.Context, limit, offset int) ([]news.ModerationQueueItem, error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+commentCols+`, a.headline FROM comments c JOIN articles a ON a.id = c.article_id
		WHERE c.status = 'pending' OR (c.status = 'approved' AND c.open_reports > 0)
		ORDER BY c.created_at, c.id LIMIT ? OFFSET ?`, limit, offset)
	if err != nil {
		return nil, err
	}
	var out []news.ModerationQueueItem
	idx := map[int64]int{}
	for rows.Next() {
		var it news.ModerationQueueItem
		var edited sql.NullInt64
		var created int64
		c := &it.Comment
		if err := rows.Scan(&c.ID, &c.ArticleID, &c.ParentID, &c.ReaderID, &c.AuthorName, &c.ReplyTo, &c.Body, &c.Status, &c.Clause,
			&c.Shadow, &c.Recommends, &c.Reports, &c.ReplyCount, &edited, &created, &c.IPHash, &c.ExternalID, &it.Headline); err != nil {
			rows.Close()
			return nil, err
		}
		c.CreatedAt, c.EditedAt, c.Edited = time.UnixMilli(created).UTC(), fromMS(edited), edited.Valid
		idx[c.ID] = len(out)
		out = append(out, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	ids := make([]any, 0, len(out))
	for _, it := range out {
		ids = append(ids, it.Comment.ID)
	}
	rows, err = s.r.QueryContext(ctx, `SELECT id, comment_id, reader_id, clause, note, created_at FROM comment_reports
		WHERE resolved = 0 AND comment_id IN (?`+strings.Repeat(",?", len(ids)-1)+`) ORDER BY created_at`, ids...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var r news.CommentReport
		var created int64
		if err := rows.Scan(&r.ID, &r.CommentID, &r.ReaderID, &r.Clause, &r.Note, &created); err != nil {
			return nil, err
		}
		r.CreatedAt = time.UnixMilli(created).UTC()
		i := idx[r.CommentID]
		out[i].Reports = append(out[i].Reports, r)
	}
	return out, rows.Err()
}

// ResolveReports marks a comment's reports handled.
func (s *Store) ResolveReports(ctx context.Context, commentID int64) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE comment_reports SET resolved = 1 WHERE comment_id = ?`, commentID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE comments SET open_reports = 0 WHERE id = ?`, commentID); err != nil {
		return err
	}
	return tx.Commit()
}

// ExportComments lists comments of an article or of the site.
func (s *Store) ExportComments(ctx context.Context, articleID int64) ([]news.Comment, error) {
	if articleID > 0 {
		return s.listComments(ctx, `SELECT `+commentCols+` FROM comments c WHERE c.article_id = ? ORDER BY c.created_at, c.id`, articleID)
	}
	return s.listComments(ctx, `SELECT `+commentCols+` FROM comments c ORDER BY c.created_at, c.id`)
}

// RecentComments lists a reader's comments since t, newest first.
func (s *Store) RecentComments(ctx context.Context, readerID int64, since time.Time) ([]news.RecentComment, error) {
	st, err := s.prepared(ctx, s.r, `SELECT body, created_at FROM comments WHERE reader_id = ? AND created_at >= ? ORDER BY created_at DESC LIMIT 50`)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, readerID, since.UnixMilli())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []news.RecentComment
	for rows.Next() {
		var rc news.RecentComment
		var at int64
		if err := rows.Scan(&rc.Body, &at); err != nil {
			return nil, err
		}
		rc.CreatedAt = time.UnixMilli(at).UTC()
		out = append(out, rc)
	}
	return out, rows.Err()
}

// CommentTarget reads what posting needs of an article in one query.
func (s *Store) CommentTarget(ctx context.Context, articleID int64) (news.CommentTarget, error) {
	var t news.CommentTarget
	var published, embargo sql.NullInt64
	var mode sql.NullString
	st, err := s.prepared(ctx, s.r, `SELECT a.id, a.slug, a.headline, a.status, a.published_at, a.embargo_until, m.mode, a.comment_count
		FROM articles a LEFT JOIN article_comment_modes m ON m.article_id = a.id WHERE a.id = ?`)
	if err != nil {
		return t, err
	}
	err = st.QueryRowContext(ctx, articleID).
		Scan(&t.ID, &t.Slug, &t.Headline, &t.Status, &published, &embargo, &mode, &t.CommentCount)
	if err != nil {
		return t, notFoundOr(err, "article")
	}
	t.PublishedAt, t.EmbargoUntil = fromMS(published), fromMS(embargo)
	t.Mode = news.CommentsOpen
	if mode.Valid {
		t.Mode = news.ArticleCommentMode(mode.String)
	}
	return t, nil
}

// CountReaderComments counts a reader's comments.
func (s *Store) CountReaderComments(ctx context.Context, readerID int64) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM comments WHERE reader_id = ?`, readerID).Scan(&n)
	return n, err
}

// ArticleCommentMode is the article's switch (open by default).
func (s *Store) ArticleCommentMode(ctx context.Context, articleID int64) (news.ArticleCommentMode, error) {
	var m string
	err := s.r.QueryRowContext(ctx, `SELECT mode FROM article_comment_modes WHERE article_id = ?`, articleID).Scan(&m)
	if err == sql.ErrNoRows {
		return news.CommentsOpen, nil
	}
	return news.ArticleCommentMode(m), err
}

// SetArticleCommentMode sets the article's switch.
func (s *Store) SetArticleCommentMode(ctx context.Context, articleID int64, m news.ArticleCommentMode) error {
	if err := m.Validate(); err != nil {
		return err
	}
	_, err := s.w.ExecContext(ctx, `INSERT INTO article_comment_modes(article_id, mode) VALUES (?, ?)
		ON CONFLICT(article_id) DO UPDATE SET mode = excluded.mode`, articleID, m)
	if err != nil && strings.Contains(err.Error(), "FOREIGN KEY") {
		return news.NotFound("article")
	}
	return err
}
