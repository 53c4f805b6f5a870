package sqlitestore

import (
	"database/sql"
	"path/filepath"
	"testing"

	"byline/internal/store"
)

// FuzzFTSQuery: whatever a reader types into search, the FTS5 query made
// of it is one SQLite accepts (no syntax error reaches the reader as a
// 500) and holds at most 12 terms; each is a quoted word, Korean ones
// with the quoted phrase of their bigrams.
//
//	go test ./internal/store/sqlitestore/ -run '^$' -fuzz FuzzFTSQuery -fuzztime 30s
func FuzzFTSQuery(f *testing.F) {
	for _, s := range []string{"housing bill", `"unclosed`, "a AND OR NOT b", "col:term*", "^start", "NEAR(a b)", "서울 시장", "--", "a\"b", "1 2 3 4 5 6 7 8 9 10 11 12 13 14"} {
		f.Add(s)
	}
	db, err := sql.Open("sqlite", filepath.Join(f.TempDir(), "fts.db"))
	if err != nil {
		f.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE VIRTUAL TABLE t USING fts5(body, search_grams); INSERT INTO t(body, search_grams) VALUES ('housing bill stalls in the assembly 올빼미버스', '올빼 빼미 미버 버스')`); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		terms := store.ParseSearch(text)
		if len(terms) > 12 {
			t.Errorf("%q gives %d terms", text, len(terms))
		}
		q := ftsQuery(terms)
		if q == "" {
			return
		}
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM t WHERE t MATCH ?`, q).Scan(&n); err != nil {
			t.Errorf("ftsQuery(%q) = %q: SQLite refuses it: %v", text, q, err)
		}
	})
}
