package api

import (
	"context"
	"time"

	"byline/internal/news"
)

// listFallback pages by cursor over plain ListArticles, for engines that
// do not implement news.ContentStore yet: it asks for articles published
// up to the cursor's time and skips the ones already seen at that time.
type listFallback struct{ s news.Store }

func (f listFallback) ListVisibleAfter(ctx context.Context, q news.CursorQuery) ([]news.Article, error) {
	aq := news.ArticleQuery{SectionIDs: q.SectionIDs, Tag: q.Tag, AuthorID: q.AuthorID, Since: q.Since, Until: q.Until, Now: q.Now, Limit: q.Limit}
	if q.After != nil {
		edge := q.After.PublishedAt.Add(time.Millisecond)
		if aq.Until.IsZero() || edge.Before(aq.Until) {
			aq.Until = edge
		}
		aq.Limit = q.Limit + 200
	}
	page, err := f.s.ListArticles(ctx, aq)
	if err != nil {
		return nil, err
	}
	out := page.Articles[:0]
	for _, a := range page.Articles {
		if q.After != nil && a.PublishedAt.Equal(q.After.PublishedAt) && a.ID >= q.After.ID {
			continue
		}
		out = append(out, a)
		if len(out) == q.Limit {
			break
		}
	}
	return out, nil
}

// ContentStoreOf is s's own keyset paging when it has one.
func ContentStoreOf(s news.Store) news.ContentStore {
	if cs, ok := s.(news.ContentStore); ok {
		return cs
	}
	return listFallback{s}
}
