package pgstore

import (
	"context"

	"byline/internal/news"
)

// DeleteReader stays per engine for now: it goes through each engine's
// own comment code (comment counts, stubs), which is not shared yet. The
// rest of the reader store is in internal/store/reader.go.

// DeleteReader removes a reader and their comments in one transaction
// (see the SQLite engine for the policy).
func (s *Store) DeleteReader(ctx context.Context, id int64) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	var name string
	if err := tx.QueryRow(ctx, `SELECT name FROM readers WHERE id = $1 FOR UPDATE`, id).Scan(&name); err != nil {
		return notFoundOr(err, "reader")
	}
	rows, err := tx.Query(ctx, `SELECT `+commentCols+` FROM comments c WHERE c.reader_id = $1 ORDER BY c.parent_id IS NULL, c.id`, id)
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
	if err := rows.Err(); err != nil {
		return err
	}
	var articles []int64
	seen := map[int64]bool{}
	for _, c := range mine {
		if !seen[c.ArticleID] {
			seen[c.ArticleID] = true
			articles = append(articles, c.ArticleID)
		}
		if err := adjustCounts(ctx, tx, c, -commentCounts(c)); err != nil {
			return err
		}
		var replies int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM comments WHERE parent_id = $1`, c.ID).Scan(&replies); err != nil {
			return err
		}
		if replies > 0 {
			if _, err := tx.Exec(ctx, `UPDATE comments SET status = 'deleted', body = '', author_name = '[deleted]', reader_id = NULL, ip_hash = '' WHERE id = $1`, c.ID); err != nil {
				return err
			}
		} else if _, err := tx.Exec(ctx, `DELETE FROM comments WHERE id = $1`, c.ID); err != nil {
			return err
		}
	}
	if len(articles) > 0 {
		if _, err := tx.Exec(ctx, `UPDATE comments SET reply_to = '' WHERE reply_to = $1 AND article_id = ANY($2)`, name, articles); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(ctx, `UPDATE comments SET recommends = recommends - 1
		WHERE id IN (SELECT comment_id FROM comment_recommends WHERE reader_id = $1)`, id); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM readers WHERE id = $1`, id); err != nil {
		return err
	}
	return tx.Commit(ctx)
}
