package sqlitestore

import (
	"context"
	"database/sql"
	"sync"
)

// preparedStmts keeps the prepared statements of the comment hot path
// (posting: session, article, recent comments, insert) per pool. SQLite
// spends about a fifth of a comment post parsing SQL; a prepared
// statement is parsed once per connection. The map only ever grows by
// one entry per opened pool and statement text.
var preparedStmts sync.Map // stmtKey -> *sql.Stmt

type stmtKey struct {
	db    *sql.DB
	query string
}

// prepared returns db's prepared statement for query, preparing it the
// first time.
func prepared(ctx context.Context, db *sql.DB, query string) (*sql.Stmt, error) {
	k := stmtKey{db, query}
	if st, ok := preparedStmts.Load(k); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if old, loaded := preparedStmts.LoadOrStore(k, st); loaded {
		st.Close()
		return old.(*sql.Stmt), nil
	}
	return st, nil
}
