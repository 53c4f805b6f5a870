package sqlitestore

import (
	"context"

	"byline/internal/news"
)

// DeleteReader stays per engine for now: it goes through each engine's
// own comment code (comment counts, stubs), which is not shared yet. The
// rest of the reader store is in internal/store/reader.go.

// DeleteReader removes a reader and their comments in one transaction:
// comments that have replies stay as "deleted" stubs with neither text
// nor name (policy: your words go, the conversation others had stays
// readable); recommendations and reports by the reader go too.
func (s *Store) DeleteReader(ctx context.Context, id int64) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT `+commentCols+` FROM comments c WHERE c.reader_id = ? ORDER BY c.parent_id IS NULL, c.id`, id)
	if err != nil {
		return err
	}
	var mine []news.Comment
	for rows.Next() {
		c, err := scanComment(rows)
		if err != nil {
			rows.Close()
			return err
		}
		mine = append(mine, c)
	}
	rows.Close()
	// Replies first (ordered so), so parents' reply counts are right when
	// we decide whether a parent keeps a stub.
	for _, c := range mine {
		if err := adjustCounts(ctx, tx, c, -commentCounts(c)); err != nil {
			return err
		}
		var replies int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM comments WHERE parent_id = ?`, c.ID).Scan(&replies); err != nil {
			return err
		}
		if replies > 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE comments SET status = 'deleted', body = '', author_name = '[deleted]', reader_id = NULL, ip_hash = '' WHERE id = ?`, c.ID); err != nil {
				return err
			}
		} else if _, err := tx.ExecContext(ctx, `DELETE FROM comments WHERE id = ?`, c.ID); err != nil {
			return err
		}
	}
	// Replies no longer name the deleted reader.
	var name string
	if err := tx.QueryRowContext(ctx, `SELECT name FROM readers WHERE id = ?`, id).Scan(&name); err != nil {
		return notFoundOr(err, "reader")
	}
	if _, err := tx.ExecContext(ctx, `UPDATE comments SET reply_to = '' WHERE reply_to = ? AND parent_id IN (SELECT id FROM comments WHERE article_id IN
		(SELECT DISTINCT article_id FROM comments WHERE reader_id = ? OR author_name = '[deleted]'))`, name, id); err != nil {
		return err
	}
	// Recommendations by this reader no longer count.
	if _, err := tx.ExecContext(ctx, `UPDATE comments SET recommends = recommends - (SELECT COUNT(*) FROM comment_recommends r WHERE r.comment_id = comments.id AND r.reader_id = ?)
		WHERE id IN (SELECT comment_id FROM comment_recommends WHERE reader_id = ?)`, id, id); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM readers WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.NotFound("reader")
	}
	return tx.Commit()
}
