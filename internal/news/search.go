package news

import "context"

// SearchStore is what reader search needs beyond ArticleStore.Search.
type SearchStore interface {
	// SuggestSpelling offers the reader's text with unknown words replaced
	// by the closest words of the archive's own vocabulary ("hosing" ->
	// "housing"), or "" when it has nothing to offer. The vocabulary
	// includes unpublished articles' words: callers offer a suggestion
	// only when searching for it finds something a reader may see.
	SuggestSpelling(ctx context.Context, text string) (string, error)
}
