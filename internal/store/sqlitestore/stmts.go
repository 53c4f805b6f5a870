package sqlitestore

import (
	"context"
	"database/sql"
)

// The store keeps prepared statements of full-text search (its own
// query, one per shape of filters) per pool in s.stmts: parsing the
// statement costs more than a rare word's search. The map grows by one
// entry per pool and statement text, and Close closes them. The shared
// queries' prepared statements are store.DB's (Dialect.Prepare).

type stmtKey struct {
	db    *sql.DB
	query string
}

// prepared returns db's prepared statement for query, preparing it the
// first time.
func (s *Store) prepared(ctx context.Context, db *sql.DB, query string) (*sql.Stmt, error) {
	k := stmtKey{db, query}
	if st, ok := s.stmts.Load(k); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if old, loaded := s.stmts.LoadOrStore(k, st); loaded {
		st.Close()
		return old.(*sql.Stmt), nil
	}
	return st, nil
}
