package news

import "context"

// SearchStore is what reader search needs beyond ArticleStore.Search.
type SearchStore interface {
	// SuggestSpelling offers the reader's text with unknown words replaced
	// by the closest words of the archive's own vocabulary ("hosing" ->
	// "housing"), or "" when it has nothing to offer. The vocabulary
	// holds only the words of articles that were public (published, no
	// embargo), never a draft's; callers still offer a suggestion only
	// when searching for it finds something a reader may see now.
	SuggestSpelling(ctx context.Context, text string) (string, error)
}
