// Package pgstore is Byline's PostgreSQL storage engine, for papers that
// run several servers against one database. It implements news.Store with
// the same behaviour as sqlitestore (the conformance suite in storetest
// holds both to it), over a pgx connection pool, with migrations embedded
// in the binary and applied at Open under an advisory lock.
//
// Backups are PostgreSQL's business: pg_dump, or the operator's continuous
// archiving. The pool honours pgx's URL parameters (pool_max_conns,
// default_query_exec_mode=exec behind PgBouncer in transaction mode,
// sslmode, ...).
//
// Until go.sum holds github.com/jackc/puddle/v2 (pgxpool's dependency), the
// engine's files build only with -tags pgstore; this file keeps the package
// visible meanwhile. Once `go get github.com/jackc/pgx/v5/pgxpool@v5.13.0`
// has added it, the //go:build lines go.
package pgstore
