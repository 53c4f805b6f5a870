package store

import (
	"context"
	"fmt"

	"byline/internal/news"
)

// ReaderCommentCounts counts a reader's comments by status, leaving out
// those written under a shadow ban.
func (db *DB) ReaderCommentCounts(ctx context.Context, readerID int64) (map[news.CommentStatus]int, error) {
	rows, err := db.Query(ctx, `SELECT status, COUNT(*) FROM comments WHERE reader_id = ? AND shadow = FALSE GROUP BY status`, readerID)
	if err != nil {
		return nil, fmt.Errorf("reader comment counts: %w", err)
	}
	defer rows.Close()
	out := map[news.CommentStatus]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[news.CommentStatus(st)] = n
	}
	return out, rows.Err()
}
