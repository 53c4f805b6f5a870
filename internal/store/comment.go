package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"byline/internal/news"
)

// Comments: threads one level deep, their counts kept on the article and
// the parent in the transaction that changes a comment's visibility,
// recommendations and reports, the moderation queue.

const commentCols = `c.id, c.article_id, COALESCE(c.parent_id, 0), COALESCE(c.reader_id, 0), c.author_name, c.reply_to, c.body, c.status, c.clause,
	c.shadow, c.recommends, c.reports, c.reply_count, c.edited_at, c.created_at, c.ip_hash, COALESCE(c.external_id, '')`

func scanComment(sc interface{ Scan(...any) error }, extra ...any) (news.Comment, error) {
	var c news.Comment
	dest := append([]any{&c.ID, &c.ArticleID, &c.ParentID, &c.ReaderID, &c.AuthorName, &c.ReplyTo, &c.Body, &c.Status, &c.Clause,
		&c.Shadow, &c.Recommends, &c.Reports, &c.ReplyCount, Time(&c.EditedAt), Time(&c.CreatedAt), &c.IPHash, &c.ExternalID}, extra...)
	err := sc.Scan(dest...)
	c.Edited = !c.EditedAt.IsZero()
	return c, err
}

func scanComments(rows *sql.Rows, err error) ([]news.Comment, error) {
	return collect(rows, err, func(r *sql.Rows) (news.Comment, error) { return scanComment(r) })
}

// commentCounts is what a comment adds to the visible counts.
func commentCounts(c news.Comment) int {
	if c.Status == news.CommentApproved && !c.Shadow {
		return 1
	}
	return 0
}

// The count updates never take a count below zero.
const (
	addArticleCount = `UPDATE articles SET comment_count = CASE WHEN comment_count + ? > 0 THEN comment_count + ? ELSE 0 END WHERE id = ?`
	addReplyCount   = `UPDATE comments SET reply_count = CASE WHEN reply_count + ? > 0 THEN reply_count + ? ELSE 0 END WHERE id = ?`
)

// adjustCounts keeps articles.comment_count and the parent's reply_count
// in step with a change of visibility, inside the caller's transaction.
func adjustCounts(ctx context.Context, tx Tx, c news.Comment, delta int) error {
	if delta == 0 {
		return nil
	}
	if _, err := tx.Exec(ctx, addArticleCount, delta, delta, c.ArticleID); err != nil {
		return err
	}
	if c.ParentID != 0 {
		if _, err := tx.Exec(ctx, addReplyCount, delta, delta, c.ParentID); err != nil {
			return err
		}
	}
	return nil
}

const (
	insertCommentSQL = `INSERT INTO comments(article_id, parent_id, reader_id, author_name, reply_to, body, status, clause, shadow,
	recommends, edited_at, created_at, ip_hash, external_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id`
	parentSQL = `SELECT article_id, COALESCE(parent_id, 0) FROM comments WHERE id = ?`
)

// postWrites are the statements posting a comment runs, prepared before
// its transaction (comment posting is the hottest write).
var postWrites = []string{insertCommentSQL, parentSQL, addArticleCount, addReplyCount}

func (db *DB) insertComment(ctx context.Context, tx Tx, c *news.Comment) error {
	if c.ParentID != 0 {
		var parentArticle, grand int64
		if err := tx.QueryRow(ctx, parentSQL, c.ParentID).Scan(&parentArticle, &grand); err != nil {
			return notFoundOr(err, "parent comment")
		}
		if parentArticle != c.ArticleID {
			return news.Invalid("parent_id", "the parent comment belongs to another article")
		}
		if grand != 0 {
			return news.Invalid("parent_id", "replies are one level deep: answer the top-level comment")
		}
	}
	id, err := tx.Insert(ctx, insertCommentSQL, insertCommentArgs(c)...)
	if err != nil {
		return db.insertCommentError(err)
	}
	c.ID = id
	return adjustCounts(ctx, tx, *c, commentCounts(*c))
}

// insertCommentArgs completes c's creation time and gives the insert's
// arguments.
func insertCommentArgs(c *news.Comment) []any {
	if c.CreatedAt.IsZero() {
		c.CreatedAt = time.Now()
	}
	c.CreatedAt = c.CreatedAt.UTC().Truncate(time.Millisecond)
	var ext any
	if c.ExternalID != "" {
		ext = c.ExternalID
	}
	return []any{c.ArticleID, nullID(c.ParentID), nullID(c.ReaderID), c.AuthorName, c.ReplyTo, c.Body, c.Status, c.Clause, c.Shadow,
		c.Recommends, c.EditedAt, c.CreatedAt, c.IPHash, ext}
}

func (db *DB) insertCommentError(err error) error {
	if db.isForeignKey(err) {
		return news.NotFound("article or reader")
	}
	return fmt.Errorf("insert comment: %w", err)
}

// postInOneTrip stores a top-level comment and its count on an engine
// across a network (Dialect.Batch: PostgreSQL's pipeline) in one round
// trip instead of four (BEGIN, INSERT, UPDATE, COMMIT): pgx runs a batch
// in one implicit transaction, so the comment and the article's count
// stand or fall together. Replies (the parent is checked first) and
// comments held with a decision take the transaction of InTx.
func (db *DB) postInOneTrip(ctx context.Context, c *news.Comment) error {
	reads := []Read{{Query: insertCommentSQL, Args: insertCommentArgs(c), Row: func(sc Scanner) error { return sc.Scan(&c.ID) }}}
	if d := commentCounts(*c); d != 0 {
		reads = append(reads, Read{Query: addArticleCount, Args: []any{d, d, c.ArticleID}, Row: func(Scanner) error { return nil }})
	}
	if err := db.batch(ctx, reads); err != nil {
		return db.insertCommentError(err)
	}
	return nil
}

// CreateComment stores a new comment and updates the counts in one
// transaction.
func (db *DB) CreateComment(ctx context.Context, c *news.Comment) error {
	return db.CreateCommentDecision(ctx, c, nil)
}

// CreateCommentDecision stores a new comment and, when e is not nil, the
// decision that holds it (e.CommentID set to the new comment), in one
// transaction: a held comment never stands without its statement of
// reasons, nor a decision without its comment.
func (db *DB) CreateCommentDecision(ctx context.Context, c *news.Comment, e *news.ModerationEntry) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if e != nil {
		if err := e.ValidateDecision(); err != nil {
			return err
		}
	}
	if e == nil && c.ParentID == 0 && db.d.Batch != nil {
		return db.postInOneTrip(ctx, c)
	}
	if err := db.prepareWrites(ctx, postWrites...); err != nil {
		return err
	}
	return db.InTx(ctx, func(tx Tx) error {
		if err := db.insertComment(ctx, tx, c); err != nil {
			return err
		}
		if e == nil {
			return nil
		}
		e.CommentID = c.ID
		return appendModEntry(ctx, tx, e)
	})
}

// ImportComment stores an imported comment once per ExternalID.
func (db *DB) ImportComment(ctx context.Context, c *news.Comment) error {
	if err := c.ValidateImport(); err != nil {
		return err
	}
	if c.Status == "" {
		c.Status = news.CommentApproved
	}
	if err := c.Validate(); err != nil {
		return err
	}
	return db.InTx(ctx, func(tx Tx) error {
		var id int64
		err := tx.QueryRow(ctx, `SELECT id FROM comments WHERE external_id = ?`, c.ExternalID).Scan(&id)
		if err == nil {
			c.ID = id
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		return db.insertComment(ctx, tx, c)
	})
}

// CommentByID loads one comment whatever its status.
func (db *DB) CommentByID(ctx context.Context, id int64) (news.Comment, error) {
	c, err := scanComment(db.QueryRow(ctx, `SELECT `+commentCols+` FROM comments c WHERE c.id = ?`, id))
	return c, notFoundOr(err, "comment")
}

const shownTop = `c.article_id = ? AND c.parent_id IS NULL AND ((c.status = 'approved' AND NOT c.shadow) OR (c.status IN ('deleted', 'removed') AND c.reply_count > 0))`

// ListComments lists a page of top-level comments with their replies.
func (db *DB) ListComments(ctx context.Context, q news.CommentQuery) (news.CommentPage, error) {
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
	// The count and the page go in one round trip on PostgreSQL
	// (Dialect.Batch, read by pgx's own rows), one after the other on SQLite.
	var tops, replies []news.Comment
	appendTo := func(list *[]news.Comment) func(Scanner) error {
		return func(sc Scanner) error {
			c, err := scanComment(sc)
			*list = append(*list, c)
			return err
		}
	}
	if err := db.batch(ctx, []Read{
		{Query: `SELECT COUNT(*) FROM comments c WHERE ` + shownTop, Args: []any{q.ArticleID}, Row: func(sc Scanner) error { return sc.Scan(&p.Total) }},
		{Query: `SELECT ` + commentCols + ` FROM comments c WHERE ` + shownTop + ` ORDER BY ` + order + ` LIMIT ? OFFSET ?`,
			Args: []any{q.ArticleID, q.Limit, q.Offset}, Row: appendTo(&tops)},
	}); err != nil || len(tops) == 0 {
		return p, err
	}
	p.Comments = tops
	idx := make(map[int64]int, len(tops))
	ids := make([]any, len(tops))
	for i, c := range tops {
		idx[c.ID], ids[i] = i, c.ID
	}
	// status || '' keeps SQLite on the parent index (an index on status
	// would make it read every approved comment); PostgreSQL does the same.
	if err := db.batch(ctx, []Read{{Query: `SELECT ` + commentCols + ` FROM comments c WHERE c.parent_id IN (` + marks(len(ids)) + `)
		AND c.status || '' = 'approved' AND NOT c.shadow ORDER BY c.created_at, c.id`, Args: ids, Row: appendTo(&replies)}}); err != nil {
		return p, err
	}
	for _, r := range replies {
		i := idx[r.ParentID]
		p.Comments[i].Replies = append(p.Comments[i].Replies, r)
	}
	return p, nil
}

// ReaderCommentsOn lists a reader's comments on one article.
func (db *DB) ReaderCommentsOn(ctx context.Context, readerID, articleID int64) ([]news.Comment, error) {
	return scanComments(db.Query(ctx, `SELECT `+commentCols+` FROM comments c WHERE c.reader_id = ? AND c.article_id = ? ORDER BY c.created_at DESC LIMIT 200`, readerID, articleID))
}

// ReaderComments lists a reader's comments, newest first.
func (db *DB) ReaderComments(ctx context.Context, readerID int64, limit, offset int) ([]news.Comment, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	return scanComments(db.Query(ctx, `SELECT `+commentCols+` FROM comments c WHERE c.reader_id = ? ORDER BY c.created_at DESC, c.id DESC LIMIT ? OFFSET ?`, readerID, limit, offset))
}

// EditComment replaces a comment's text.
func (db *DB) EditComment(ctx context.Context, id int64, body string, at time.Time) error {
	if err := news.ValidateText(body); err != nil {
		return err
	}
	res, err := db.Exec(ctx, `UPDATE comments SET body = ?, edited_at = ? WHERE id = ?`, body, at, id)
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
func (db *DB) SetCommentStatus(ctx context.Context, id int64, status news.CommentStatus, clause string) error {
	if err := status.Validate(); err != nil {
		return err
	}
	return db.InTx(ctx, func(tx Tx) error { return db.setCommentStatus(ctx, tx, id, status, clause) })
}

// DecideComment moves a comment to status citing clause and appends the
// decision e (its statement of reasons) to the moderation log, in one
// transaction: neither stands without the other.
func (db *DB) DecideComment(ctx context.Context, id int64, status news.CommentStatus, clause string, e *news.ModerationEntry) error {
	if err := status.Validate(); err != nil {
		return err
	}
	if err := e.ValidateDecision(); err != nil {
		return err
	}
	return db.InTx(ctx, func(tx Tx) error {
		if err := db.setCommentStatus(ctx, tx, id, status, clause); err != nil {
			return err
		}
		e.CommentID = id
		return appendModEntry(ctx, tx, e)
	})
}

func (db *DB) setCommentStatus(ctx context.Context, tx Tx, id int64, status news.CommentStatus, clause string) error {
	c, err := scanComment(tx.QueryRow(ctx, `SELECT `+commentCols+` FROM comments c WHERE c.id = ?`+db.d.RowLock, id))
	if err != nil {
		return notFoundOr(err, "comment")
	}
	before := commentCounts(c)
	c.Status, c.Clause = status, clause
	q := `UPDATE comments SET status = ?, clause = ? WHERE id = ?`
	if status == news.CommentDeleted {
		q = `UPDATE comments SET status = ?, clause = ?, body = '' WHERE id = ?`
	}
	if _, err := tx.Exec(ctx, q, status, clause, id); err != nil {
		return err
	}
	if err := adjustCounts(ctx, tx, c, commentCounts(c)-before); err != nil {
		return err
	}
	if status == news.CommentPending {
		// A comment sent back to the queue keeps its reports open for
		// the moderator.
		return nil
	}
	if _, err := tx.Exec(ctx, `UPDATE comment_reports SET resolved = TRUE WHERE comment_id = ?`, id); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE comments SET open_reports = 0 WHERE id = ?`, id)
	return err
}

// RecommendComment adds one recommendation per reader.
func (db *DB) RecommendComment(ctx context.Context, commentID, readerID int64) (int, error) {
	var n int
	err := db.InTx(ctx, func(tx Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO comment_recommends(comment_id, reader_id, created_at) VALUES (?,?,?)`, commentID, readerID, time.Now())
		switch {
		case db.isUnique(err):
			return news.Errorf(news.KindConflict, "you have already recommended this comment")
		case db.isForeignKey(err):
			return news.NotFound("comment")
		case err != nil:
			return err
		}
		err = tx.QueryRow(ctx, `UPDATE comments SET recommends = recommends + 1 WHERE id = ? RETURNING recommends`, commentID).Scan(&n)
		return notFoundOr(err, "comment")
	})
	return n, err
}

// ReaderRecommendations lists the comments of an article a reader
// recommended.
func (db *DB) ReaderRecommendations(ctx context.Context, readerID, articleID int64) ([]int64, error) {
	rows, err := db.Query(ctx, `SELECT r.comment_id FROM comment_recommends r JOIN comments c ON c.id = r.comment_id
		WHERE r.reader_id = ? AND c.article_id = ?`, readerID, articleID)
	return collect(rows, err, func(r *sql.Rows) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
}

// ReportComment records a report once per reader.
func (db *DB) ReportComment(ctx context.Context, r *news.CommentReport) (int, error) {
	if err := r.Validate(); err != nil {
		return 0, err
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = time.Now()
	}
	r.CreatedAt = r.CreatedAt.UTC().Truncate(time.Millisecond)
	var n int
	err := db.InTx(ctx, func(tx Tx) error {
		id, err := tx.Insert(ctx, `INSERT INTO comment_reports(comment_id, reader_id, clause, note, created_at) VALUES (?,?,?,?,?) RETURNING id`,
			r.CommentID, r.ReaderID, r.Clause, r.Note, r.CreatedAt)
		switch {
		case db.isUnique(err):
			return news.Errorf(news.KindConflict, "you have already reported this comment")
		case db.isForeignKey(err):
			return news.NotFound("comment")
		case err != nil:
			return err
		}
		r.ID = id
		err = tx.QueryRow(ctx, `UPDATE comments SET reports = reports + 1, open_reports = open_reports + 1 WHERE id = ? RETURNING reports`, r.CommentID).Scan(&n)
		return notFoundOr(err, "comment")
	})
	return n, err
}

// ModerationQueue lists what waits for a moderator.
func (db *DB) ModerationQueue(ctx context.Context, limit, offset int) ([]news.ModerationQueueItem, error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	rows, err := db.Query(ctx, `SELECT `+commentCols+`, a.headline FROM comments c JOIN articles a ON a.id = c.article_id
		WHERE c.status = 'pending' OR (c.status = 'approved' AND c.open_reports > 0)
		ORDER BY c.created_at, c.id LIMIT ? OFFSET ?`, limit, offset)
	out, err := collect(rows, err, func(r *sql.Rows) (news.ModerationQueueItem, error) {
		var it news.ModerationQueueItem
		c, err := scanComment(r, &it.Headline)
		it.Comment = c
		return it, err
	})
	if err != nil || len(out) == 0 {
		return out, err
	}
	idx := make(map[int64]int, len(out))
	ids := make([]any, len(out))
	for i, it := range out {
		idx[it.Comment.ID], ids[i] = i, it.Comment.ID
	}
	rows, err = db.Query(ctx, `SELECT id, comment_id, reader_id, clause, note, created_at FROM comment_reports
		WHERE NOT resolved AND comment_id IN (`+marks(len(ids))+`) ORDER BY created_at, id`, ids...)
	reports, err := collect(rows, err, func(r *sql.Rows) (news.CommentReport, error) {
		var rp news.CommentReport
		return rp, r.Scan(&rp.ID, &rp.CommentID, &rp.ReaderID, &rp.Clause, &rp.Note, Time(&rp.CreatedAt))
	})
	if err != nil {
		return nil, err
	}
	for _, rp := range reports {
		i := idx[rp.CommentID]
		out[i].Reports = append(out[i].Reports, rp)
	}
	return out, nil
}

// ResolveReports marks a comment's reports handled.
func (db *DB) ResolveReports(ctx context.Context, commentID int64) error {
	return db.InTx(ctx, func(tx Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE comment_reports SET resolved = TRUE WHERE comment_id = ?`, commentID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE comments SET open_reports = 0 WHERE id = ?`, commentID)
		return err
	})
}

// ExportComments lists comments of an article or of the site.
func (db *DB) ExportComments(ctx context.Context, articleID int64) ([]news.Comment, error) {
	if articleID > 0 {
		return scanComments(db.Query(ctx, `SELECT `+commentCols+` FROM comments c WHERE c.article_id = ? ORDER BY c.created_at, c.id`, articleID))
	}
	return scanComments(db.Query(ctx, `SELECT `+commentCols+` FROM comments c ORDER BY c.created_at, c.id`))
}

// RecentComments lists a reader's comments since t, newest first (read
// before every post, for the spam rules).
func (db *DB) RecentComments(ctx context.Context, readerID int64, since time.Time) ([]news.RecentComment, error) {
	rows, err := db.hotRows(ctx, `SELECT body, created_at FROM comments WHERE reader_id = ? AND created_at >= ? ORDER BY created_at DESC, id DESC LIMIT 50`, readerID, since)
	return collect(rows, err, func(r *sql.Rows) (news.RecentComment, error) {
		var rc news.RecentComment
		return rc, r.Scan(&rc.Body, Time(&rc.CreatedAt))
	})
}

// CommentTarget reads what posting needs of an article in one query.
func (db *DB) CommentTarget(ctx context.Context, articleID int64) (news.CommentTarget, error) {
	var t news.CommentTarget
	var mode sql.NullString
	row, err := db.hotRow(ctx, `SELECT a.id, a.slug, a.headline, a.status, a.published_at, a.embargo_until, m.mode, a.comment_count
		FROM articles a LEFT JOIN article_comment_modes m ON m.article_id = a.id WHERE a.id = ?`, articleID)
	if err != nil {
		return t, err
	}
	if err := row.Scan(&t.ID, &t.Slug, &t.Headline, &t.Status, Time(&t.PublishedAt), Time(&t.EmbargoUntil), &mode, &t.CommentCount); err != nil {
		return t, notFoundOr(err, "article")
	}
	t.Mode = news.CommentsOpen
	if mode.Valid {
		t.Mode = news.ArticleCommentMode(mode.String)
	}
	return t, nil
}

// CountReaderComments counts a reader's comments.
func (db *DB) CountReaderComments(ctx context.Context, readerID int64) (int, error) {
	var n int
	err := db.QueryRow(ctx, `SELECT COUNT(*) FROM comments WHERE reader_id = ?`, readerID).Scan(&n)
	return n, err
}

// ArticleCommentMode is the article's switch (open by default).
func (db *DB) ArticleCommentMode(ctx context.Context, articleID int64) (news.ArticleCommentMode, error) {
	var m string
	err := db.QueryRow(ctx, `SELECT mode FROM article_comment_modes WHERE article_id = ?`, articleID).Scan(&m)
	if errors.Is(err, sql.ErrNoRows) {
		return news.CommentsOpen, nil
	}
	return news.ArticleCommentMode(m), err
}

// SetArticleCommentMode sets the article's switch.
func (db *DB) SetArticleCommentMode(ctx context.Context, articleID int64, m news.ArticleCommentMode) error {
	if err := m.Validate(); err != nil {
		return err
	}
	_, err := db.Exec(ctx, `INSERT INTO article_comment_modes(article_id, mode) VALUES (?, ?)
		ON CONFLICT (article_id) DO UPDATE SET mode = excluded.mode`, articleID, m)
	if db.isForeignKey(err) {
		return news.NotFound("article")
	}
	return err
}

// DeleteReader removes a reader and their comments in one transaction:
// comments that have replies stay as "deleted" stubs with neither text
// nor name (policy: your words go, the conversation others had stays
// readable); recommendations and reports by the reader go too.
func (db *DB) DeleteReader(ctx context.Context, id int64) error {
	return db.InTx(ctx, func(tx Tx) error {
		var name string
		if err := tx.QueryRow(ctx, `SELECT name FROM readers WHERE id = ?`+db.d.RowLock, id).Scan(&name); err != nil {
			return notFoundOr(err, "reader")
		}
		// Replies no longer name the deleted reader (on the articles they
		// commented on, read while their comments are still there).
		if _, err := tx.Exec(ctx, `UPDATE comments SET reply_to = '' WHERE reply_to = ?
			AND article_id IN (SELECT article_id FROM comments WHERE reader_id = ?)`, name, id); err != nil {
			return err
		}
		// Replies first (ordered so), so parents' reply counts are right
		// when we decide whether a parent keeps a stub.
		mine, err := scanComments(tx.Query(ctx, `SELECT `+commentCols+` FROM comments c WHERE c.reader_id = ? ORDER BY c.parent_id IS NULL, c.id`, id))
		if err != nil {
			return err
		}
		for _, c := range mine {
			if err := adjustCounts(ctx, tx, c, -commentCounts(c)); err != nil {
				return err
			}
			var replies int
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM comments WHERE parent_id = ?`, c.ID).Scan(&replies); err != nil {
				return err
			}
			if replies > 0 {
				_, err = tx.Exec(ctx, `UPDATE comments SET status = 'deleted', body = '', author_name = '[deleted]', reader_id = NULL, ip_hash = '' WHERE id = ?`, c.ID)
			} else {
				_, err = tx.Exec(ctx, `DELETE FROM comments WHERE id = ?`, c.ID)
			}
			if err != nil {
				return err
			}
		}
		// Recommendations by this reader (one a comment) no longer count.
		if _, err := tx.Exec(ctx, `UPDATE comments SET recommends = recommends - 1
			WHERE id IN (SELECT comment_id FROM comment_recommends WHERE reader_id = ?)`, id); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `DELETE FROM readers WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return news.NotFound("reader")
		}
		return nil
	})
}
