package pgstore

import "strings"

// trackerMatch finds the term tracker's documents that contain a phrase
// through the GIN index on tracker_docs.tsv: the tokens quoted and
// joined by <-> (followed by). Tokens are letters, digits and marks only,
// so never a quote or a backslash.
func trackerMatch(tokens []string) (string, any) {
	return `d.tsv @@ to_tsquery('simple', ?)`, "'" + strings.Join(tokens, "' <-> '") + "'"
}
