package sqlitestore

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzFTSQuery: whatever a reader types into search, the FTS5 query made
// of it is one SQLite accepts (no syntax error reaches the reader as a
// 500), holds at most 12 terms, and each term is a quoted word.
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
	if _, err := db.Exec(`CREATE VIRTUAL TABLE t USING fts5(body); INSERT INTO t(body) VALUES ('housing bill stalls in the assembly')`); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		q := ftsQuery(text)
		terms := strings.Fields(q)
		if len(terms) > 12 {
			t.Errorf("ftsQuery(%q) has %d terms", text, len(terms))
		}
		if q == "" {
			return
		}
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM t WHERE t MATCH ?`, q).Scan(&n); err != nil {
			t.Errorf("ftsQuery(%q) = %q: SQLite refuses it: %v", text, q, err)
		}
	})
}
