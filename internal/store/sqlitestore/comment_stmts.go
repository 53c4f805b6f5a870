package sqlitestore

import (
	"context"
	"database/sql"
)

// The store keeps prepared statements of the comment hot path (posting:
// session, article, recent comments, insert) per pool in s.stmts. SQLite
// spends about a fifth of a comment post parsing SQL; a prepared
// statement is parsed once per connection. The map grows by one entry
// per pool and statement text, and Close closes them.

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
