package sqlitestore

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"

	"byline/internal/store"

	"modernc.org/sqlite"
)

// The search migration (0800_search.sql) backfills Hangul bigrams and the
// spelling vocabulary with the very Go functions the store uses on every
// write, so that old and new articles are indexed alike. They are
// registered with the driver once, before any database is opened; nothing
// but that migration calls them.
func init() {
	text := func(args []driver.Value) string {
		switch v := args[0].(type) {
		case string:
			return v
		case []byte:
			return string(v)
		}
		return ""
	}
	must := func(err error) {
		if err != nil {
			panic(fmt.Sprintf("sqlitestore: register search functions: %v", err))
		}
	}
	must(sqlite.RegisterDeterministicScalarFunction("byline_search_grams", 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		return store.SearchGrams(text(args)), nil
	}))
	must(sqlite.RegisterDeterministicScalarFunction("byline_search_words", 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		b, err := json.Marshal(store.SearchWords(text(args)))
		return string(b), err
	}))
}
