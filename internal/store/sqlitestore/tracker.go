package sqlitestore

import "strings"

// trackerMatch finds the term tracker's documents that contain a phrase
// through the FTS5 index tracker_fts: the tokens as one quoted phrase
// (tokens are letters, digits and marks only, so never a quote).
func trackerMatch(tokens []string) (string, any) {
	return `d.article_id IN (SELECT rowid FROM tracker_fts WHERE tracker_fts MATCH ?)`, `"` + strings.Join(tokens, " ") + `"`
}
