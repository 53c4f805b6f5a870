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
	// A reply takes its article from its parent, and only from a
	// top-level parent of the article it names: otherwise the article is
	// NULL and the insert fails (article_id is NOT NULL), undoing the
	// statements that run with it. parentSQL, read before it, tells why.
	insertReplySQL = `INSERT INTO comments(article_id, parent_id, reader_id, author_name, reply_to, body, status, clause, shadow,
	recommends, edited_at, created_at, ip_hash, external_id)
	VALUES ((SELECT p.article_id FROM comments p WHERE p.id = ? AND p.article_id = ? AND p.parent_id IS NULL),?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id`
	// One row whether or not the parent exists, so that a count of -1
	// (as postWrites leaves it) tells that the read did not run.
	parentSQL = `SELECT COUNT(*), COALESCE(MAX(article_id), 0), COALESCE(MAX(parent_id), 0) FROM comments WHERE id = ?`
)

// insertComment stores c and its counts: inside tx where the caller has
// one (an import), else as one atomic list (one round trip on
// PostgreSQL, see DB.atomic).
func (db *DB) insertComment(ctx context.Context, tx *Tx, c *news.Comment) error {
	l := postWrites(c)
	var err error
	if tx != nil {
		err = tx.run(ctx, l.list)
	} else {
		err = db.atomic(ctx, l.list)
	}
	return db.refused(l, c, err)
}

// postWrites are the statements that store c and its counts.
func postWrites(c *news.Comment) *postList {
	if c.CreatedAt.IsZero() {
		c.CreatedAt = time.Now()
	}
	c.CreatedAt = c.CreatedAt.UTC().Truncate(time.Millisecond)
	l := &postList{}
	stmts := l.stmts[:0]
	l.id[0] = &c.ID
	if c.ParentID == 0 {
		stmts = append(stmts, Read{Query: insertCommentSQL, Args: insertCommentArgs(c, c.ArticleID), Into: l.id[:]})
	} else {
		l.parentRows = -1
		l.parent = [3]any{&l.parentRows, &l.parentArticle, &l.grand}
		stmts = append(stmts,
			Read{Query: parentSQL, Args: []any{c.ParentID}, Into: l.parent[:]},
			Read{Query: insertReplySQL, Args: insertCommentArgs(c, c.ParentID, c.ArticleID), Into: l.id[:]})
	}
	if d := commentCounts(*c); d != 0 {
		l.counts = [3]any{d, d, c.ArticleID}
		stmts = append(stmts, Read{Query: addArticleCount, Args: l.counts[:]})
		if c.ParentID != 0 {
			stmts = append(stmts, Read{Query: addReplyCount, Args: []any{d, d, c.ParentID}})
		}
	}
	l.list = stmts
	return l
}

// refused tells why the statements of l did not store c (err: what the
// database said), nil when they did.
func (db *DB) refused(l *postList, c *news.Comment, err error) error {
	if err == nil {
		return nil
	}
	c.ID = 0
	switch {
	case c.ParentID == 0 || l.parentRows < 0: // not a reply, or refused before its parent was read
	case l.parentRows == 0:
		return news.NotFound("parent comment")
	case l.parentArticle != c.ArticleID:
		return news.Invalid("parent_id", "the parent comment belongs to another article")
	case l.grand != 0:
		return news.Invalid("parent_id", "replies are one level deep: answer the top-level comment")
	}
	return db.insertCommentError(err)
}

// postList is what insertComment runs, in one allocation (posting is the
// hottest write).
type postList struct {
	stmts                [4]Read
	list                 []Read
	id                   [1]any
	parent               [3]any
	parentRows           int64 // a reply's parent as parentSQL read it
	parentArticle, grand int64
	counts               [3]any
}

// insertCommentArgs gives the insert's arguments, the first column's
// (insertCommentSQL: the article; insertReplySQL: the parent and the
// article) given.
func insertCommentArgs(c *news.Comment, first ...any) []any {
	var ext, edited any
	if c.ExternalID != "" {
		ext = c.ExternalID
	}
	if !c.EditedAt.IsZero() {
		edited = c.EditedAt
	}
	return append(first, nullID(c.ParentID), nullID(c.ReaderID), c.AuthorName, c.ReplyTo, c.Body, c.Status, c.Clause, c.Shadow,
		c.Recommends, edited, c.CreatedAt, c.IPHash, ext)
}

func (db *DB) insertCommentError(err error) error {
	if db.isForeignKey(err) {
		return news.NotFound("article or reader")
	}
	return fmt.Errorf("insert comment: %w", err)
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
	if e == nil {
		return db.insertComment(ctx, nil, c)
	}
	if err := e.ValidateDecision(); err != nil {
		return err
	}
	// The comment, the log's lock and last hash in one trip; the entry
	// naming the new comment and the commit in a second.
	l, m := postWrites(c), db.modAppend(e)
	err := db.atomicThen(ctx, append(l.list, m.first()...), func() ([]Read, bool, error) {
		e.CommentID = c.ID
		return m.then()
	}, insertModEntrySQL, insertMailSQL)
	if m.step != 0 {
		if err != nil {
			c.ID = 0
		}
		return m.failed(err)
	}
	return db.refused(l, c, err)
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
		return db.insertComment(ctx, &tx, c)
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

// SetCommentStatus moves a comment and keeps the counts right, in one
// round trip on PostgreSQL (DB.atomic). A deleted comment keeps no text
// (it stays as a stub while it has replies).
func (db *DB) SetCommentStatus(ctx context.Context, id int64, status news.CommentStatus, clause string) error {
	if err := status.Validate(); err != nil {
		return err
	}
	l := db.statusWrites(id, status, clause)
	if err := db.atomic(ctx, l.list); err != nil {
		return err
	}
	if l.found == 0 {
		return news.NotFound("comment")
	}
	return nil
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
	// The change, the log's lock and last hash in one trip; the entry and
	// the commit in a second (the entry's hash is computed in Go).
	l, m := db.statusWrites(id, status, clause), db.modAppend(e)
	return m.failed(db.atomicThen(ctx, append(l.list, m.first()...), func() ([]Read, bool, error) {
		if l.found == 0 {
			return nil, true, news.NotFound("comment")
		}
		e.CommentID = id
		return m.then()
	}, insertModEntrySQL, insertMailSQL))
}

// A status change's statements (statusWrites). The counts move by what
// the change does to the comment's visibility (approved and not shadow),
// computed by the database from the row as it was: the row is locked
// first (Dialect.RowLock) so that a concurrent change of the same comment
// waits and then counts from what this one left.
const (
	lockCommentSQL = `SELECT id FROM comments WHERE id = ?`
	// visibleDelta: ? is 1 when the new status is approved, else 0.
	visibleDelta     = `CASE WHEN c.shadow THEN 0 ELSE ? END - CASE WHEN c.status = 'approved' AND NOT c.shadow THEN 1 ELSE 0 END`
	moveArticleCount = `UPDATE articles SET comment_count = CASE WHEN comment_count + d.n > 0 THEN comment_count + d.n ELSE 0 END
	FROM (SELECT c.article_id AS id, ` + visibleDelta + ` AS n FROM comments c WHERE c.id = ?) d WHERE articles.id = d.id AND d.n <> 0`
	moveReplyCount = `UPDATE comments SET reply_count = CASE WHEN reply_count + d.n > 0 THEN reply_count + d.n ELSE 0 END
	FROM (SELECT c.parent_id AS id, ` + visibleDelta + ` AS n FROM comments c WHERE c.id = ?) d WHERE comments.id = d.id AND d.n <> 0`
	// A comment sent back to the queue keeps its reports open for the
	// moderator; any other decision closes them.
	setPendingSQL = `UPDATE comments SET status = ?, clause = ? WHERE id = ?`
	setStatusSQL  = `UPDATE comments SET status = ?, clause = ?, open_reports = 0 WHERE id = ?`
	setDeletedSQL = `UPDATE comments SET status = ?, clause = ?, open_reports = 0, body = '' WHERE id = ?`
	resolveSQL    = `UPDATE comment_reports SET resolved = TRUE WHERE comment_id = ? AND NOT resolved`
)

// statusWrites are the statements that move comment id to status; the
// comment exists when l.found is not 0 after they ran.
func (db *DB) statusWrites(id int64, status news.CommentStatus, clause string) *statusList {
	l := &statusList{}
	if status == news.CommentApproved {
		l.counts[0] = 1
	} else {
		l.counts[0] = 0
	}
	l.id[0], l.counts[1] = id, id
	l.set = [3]any{status, clause, id}
	l.into[0] = &l.found
	set := setStatusSQL
	switch status {
	case news.CommentPending:
		set = setPendingSQL
	case news.CommentDeleted:
		set = setDeletedSQL
	}
	l.stmts = [5]Read{
		{Query: db.lockComment, Args: l.id[:], Into: l.into[:]},
		{Query: moveArticleCount, Args: l.counts[:]},
		{Query: moveReplyCount, Args: l.counts[:]},
		{Query: set, Args: l.set[:]},
		{Query: resolveSQL, Args: l.id[:]},
	}
	l.list = l.stmts[:]
	if status == news.CommentPending {
		l.list = l.stmts[:4]
	}
	return l
}

// statusList is what statusWrites gives, in one allocation.
type statusList struct {
	stmts  [5]Read
	list   []Read
	id     [1]any
	counts [2]any // visibleDelta's new visibility, the comment
	set    [3]any
	into   [1]any
	found  int64
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
	r := &recentRead{}
	r.args = [2]any{readerID, since}
	r.reads[0] = Read{
		Query: `SELECT body, created_at FROM comments WHERE reader_id = ? AND created_at >= ? ORDER BY created_at DESC, id DESC LIMIT 50`,
		Args:  r.args[:], Row: r.row, hot: true,
	}
	if err := db.batch(ctx, r.reads[:]); err != nil {
		return nil, err
	}
	return r.out, nil
}

// recentRead is RecentComments' read, in one allocation (it runs before
// every post), its destinations one for all rows (a Scan through an
// interface allocates its arguments).
type recentRead struct {
	reads [1]Read
	args  [2]any
	dest  [2]any
	out   []news.RecentComment
}

func (r *recentRead) row(sc Scanner) error {
	r.out = append(r.out, news.RecentComment{})
	rc := &r.out[len(r.out)-1]
	r.dest[0], r.dest[1] = &rc.Body, Time(&rc.CreatedAt)
	return sc.Scan(r.dest[:]...)
}

// CommentTarget reads what posting needs of an article in one query.
func (db *DB) CommentTarget(ctx context.Context, articleID int64) (news.CommentTarget, error) {
	r := &targetRead{}
	t := &r.t
	r.args[0] = articleID
	r.into = [8]any{&t.ID, &t.Slug, &t.Headline, &t.Status, Time(&t.PublishedAt), Time(&t.EmbargoUntil), &r.mode, &t.CommentCount}
	r.reads[0] = Read{
		Query: `SELECT a.id, a.slug, a.headline, a.status, a.published_at, a.embargo_until, m.mode, a.comment_count
		FROM articles a LEFT JOIN article_comment_modes m ON m.article_id = a.id WHERE a.id = ?`,
		Args: r.args[:], Into: r.into[:], hot: true,
	}
	if err := db.batch(ctx, r.reads[:]); err != nil {
		return news.CommentTarget{}, err
	}
	if t.ID == 0 {
		return *t, news.NotFound("article")
	}
	t.Mode = news.CommentsOpen
	if r.mode.Valid {
		t.Mode = news.ArticleCommentMode(r.mode.String)
	}
	return *t, nil
}

// targetRead is CommentTarget's read, in one allocation (it runs before
// every post).
type targetRead struct {
	reads [1]Read
	args  [1]any
	into  [8]any
	t     news.CommentTarget
	mode  sql.NullString
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
