package sqlitestore

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// PublishDue claims and publishes every scheduled article whose time has
// come. The conditional UPDATE … RETURNING is one statement, so when
// several servers run it at once each article is returned to exactly one.
func (s *Store) PublishDue(ctx context.Context, now time.Time) ([]int64, error) {
	rows, err := s.w.QueryContext(ctx, `UPDATE articles SET status = 'published', version = version + 1, modified_at = ?
		WHERE status = 'scheduled' AND published_at <= ? RETURNING id`, now.UnixMilli(), now.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("publish due articles: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func isForeignKey(err error) bool {
	return err != nil && strings.Contains(err.Error(), "FOREIGN KEY")
}
