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
// Most queries are not here: they live once in internal/store, which this
// package embeds and feeds through pgx's database/sql adapter (stdlib) over
// the same pool, with its Dialect (numbered placeholders, timestamptz,
// advisory locks, FOR UPDATE where a transaction changes counts from
// what it read, FOR UPDATE SKIP LOCKED for the scheduler's and the
// webhook queue's claims, and Batch: reads that go together sent as one
// pgx pipeline). What is left here is PostgreSQL's own: opening and
// migrating, tsvector search (search.go, with what it borrows from the
// shared article queries in search_shared.go), LISTEN/NOTIFY (notify.go)
// and outage classification.
package pgstore
