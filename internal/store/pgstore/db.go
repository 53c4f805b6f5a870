package pgstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"sync"
	"time"

	"byline/internal/news"
	"byline/internal/store"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

var _ news.Store = (*Store)(nil)

// Store is a PostgreSQL database reached through a pool of connections.
type Store struct {
	*store.DB // the queries, written once for both engines
	pool      *pgxpool.Pool
	sqldb     *sql.DB // database/sql over pool, for the shared queries

	words wordStats // how common search's words are (search_plan.go)
	// searchTest, in tests only, sets how search finds its newest
	// matches: walk n > 0 rows or, with -1, the GIN index (instead of
	// walkBound), and how many of them it ranks (instead of
	// store.SearchCandidates).
	// noMasks walks article_search even where article_common's masks
	// could answer.
	searchTest struct {
		walk, candidates int
		noMasks          bool
	}
}

// minServerVersion is PostgreSQL 12: stored generated columns.
const minServerVersion = 120000

// migrationLock is the key of the advisory lock that lets one server at a
// time migrate a database (several may start together).
const migrationLock int64 = 0x62796c696e65 // "byline"

// Open connects to the database at url (postgres://user@host/db?...) and
// applies pending migrations.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx's message may quote the URL, password and all.
		return nil, errors.New("the PostgreSQL URL is not valid (want postgres://user:password@host:port/database?sslmode=...)")
	}
	return OpenConfig(ctx, cfg)
}

// OpenConfig is Open for a configuration the caller prepared (TLS, runtime
// parameters such as search_path, pool sizes).
func OpenConfig(ctx context.Context, cfg *pgxpool.Config) (*Store, error) {
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open PostgreSQL pool: %w", err)
	}
	s := &Store{pool: pool, sqldb: stdlib.OpenDBFromPool(pool)}
	d := dialect
	d.Batch = s.batch
	// atomic keeps each statement prepared on its connection between
	// transactions. An operator who asked for no kept statements
	// (default_query_exec_mode=exec or simple_protocol in the URL: behind
	// PgBouncer in transaction mode, docs/scaling.md) gets the store's
	// transaction path instead, through database/sql, which honours it.
	if cfg.ConnConfig.DefaultQueryExecMode == pgx.QueryExecModeCacheStatement {
		d.Atomic = s.atomic
	}
	s.DB = store.New(s.sqldb, nil, d)
	err = s.probe(ctx)
	if err == nil {
		err = s.migrate(ctx)
	}
	if err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// probe connects once so that a wrong address or password is reported at
// start-up in words, and refuses servers too old for the schema.
func (s *Store) probe(ctx context.Context) error {
	var v int
	if err := s.pool.QueryRow(ctx, `SELECT current_setting('server_version_num')::int`).Scan(&v); err != nil {
		cc := s.pool.Config().ConnConfig
		return fmt.Errorf("connect to PostgreSQL at %s:%d (database %q, user %q): %w", cc.Host, cc.Port, cc.Database, cc.User, err)
	}
	if v < minServerVersion {
		return fmt.Errorf("PostgreSQL %d.%d is too old: Byline needs 12 or newer", v/10000, v%10000)
	}
	return nil
}

// Migrations lists the embedded migration names in the order they apply.
func Migrations() []string { return store.MigrationNames(migrationFS) }

// migrate applies each pending migration in a transaction of its own and
// records it by name. A session advisory lock, held on one connection for
// the whole run, makes servers that start together take turns: the first
// migrates, the others then find nothing left to do.
func (s *Store) migrate(ctx context.Context) (err error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
		conn.Release()
		return fmt.Errorf("migrate: wait for the migration lock: %w", err)
	}
	defer func() {
		// The lock belongs to the session: if it cannot be released, the
		// connection must not go back to the pool holding it.
		uctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, uerr := conn.Exec(uctx, `SELECT pg_advisory_unlock($1)`, migrationLock); uerr != nil {
			_ = conn.Hijack().Close(uctx)
			return
		}
		conn.Release()
	}()
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	rows, err := conn.Query(ctx, `SELECT name FROM schema_migrations`)
	if err != nil {
		return fmt.Errorf("read migrations: %w", err)
	}
	names, err := collect(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("read migrations: %w", err)
	}
	pending, err := store.PendingMigrations(migrationFS, names)
	if err != nil {
		return err
	}
	for _, m := range pending {
		err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			// Without arguments pgx uses the simple protocol, which runs a
			// file of several statements in one go.
			if _, err := tx.Exec(ctx, m.SQL); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations(name) VALUES ($1)`, m.Name)
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %s: %w", m.Name, err)
		}
	}
	return nil
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.pool.Ping(ctx) }

// Close closes the pool, waiting for connections in use to come back.
func (s *Store) Close() error {
	s.sqldb.Close()
	s.pool.Close()
	return nil
}

// Pool exposes the connection pool to sibling features that extend this
// store (comments, newsroom, dictionary) with tables of their own.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// ts converts a time to the stored form: UTC, to the millisecond like the
// SQLite engine keeps it (so both engines give back the same values); the
// zero time is NULL.
func ts(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Truncate(time.Millisecond)
}

// collect reads all rows with fn. Like database/sql loops, it gives nil for
// no rows, so that both engines answer an empty list the same way.
func collect[T any](rows pgx.Rows, fn pgx.RowToFunc[T]) ([]T, error) {
	return pgx.AppendRows([]T(nil), rows, fn)
}

// pgCode returns the SQLSTATE of err and the constraint it names.
func pgCode(err error) (code, constraint string) {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code, pe.ConstraintName
	}
	return "", ""
}

// SQLSTATEs the engine turns into domain errors.
const (
	uniqueViolation     = "23505"
	foreignKeyViolation = "23503"
	// "cached plan must not change result type"
	featureNotSupported = "0A000"
)

func isUnique(err error) bool {
	c, _ := pgCode(err)
	return c == uniqueViolation
}

// dialect is what PostgreSQL says differently: numbered placeholders,
// timestamps, and advisory locks to serialise writers on several servers.
var dialect = store.Dialect{
	Numbered: true,
	Time:     func(t time.Time) any { return t.UTC().Truncate(time.Millisecond) },
	IsUnique: isUnique,
	IsForeignKey: func(err error) bool {
		c, _ := pgCode(err)
		return c == foreignKeyViolation
	},
	LockSQL:      `SELECT pg_advisory_xact_lock(?)`,
	TrackerMatch: trackerMatch,
	InsertOrder:  "id",
	SkipLocked:   " FOR UPDATE SKIP LOCKED",
	RowLock:      " FOR UPDATE",
}

// batch sends reads in one round trip (a pgx batch, pipelined) over the
// native pool: the article page, its bylines, tags and corrections cost
// one wait on the network instead of four. database/sql has no batches.
func (s *Store) batch(ctx context.Context, reads []store.Read) error {
	b := &pgx.Batch{}
	for _, r := range reads {
		b.Queue(r.Query, r.Args...)
	}
	br := s.pool.SendBatch(ctx, b)
	defer br.Close()
	for i := range reads {
		r := &reads[i]
		if !r.Reads() {
			if _, err := br.Exec(); err != nil {
				return err
			}
			continue
		}
		rows, err := br.Query()
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := r.ReadRow(rows); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return br.Close()
}

// atomic runs statements of fixed text (store.Dialect.Atomic) in one round
// trip on pgx's own connection. One statement is a plain pgx query (its
// statement cache, its rows). Several are a batch of the wire protocol:
// Bind and Execute for each, one Sync at the end, so the server runs them
// as one implicit transaction and a statement that fails undoes the ones
// before it; each statement is prepared once per connection (the texts
// are few and fixed, so what a connection keeps is bounded). This is the
// comment write path, a post or a status change with its counts in one
// trip: without database/sql, whose rows, conversions and transactions
// cost the most allocations, and without pgx's Batch, a pipeline whose
// bookkeeping costs several allocations a statement more.
//
// With then, the first batch opens a transaction (BEGIN travels with the
// statements), then's statements follow a batch each, and the last
// commits it: two trips for a decision, three when it has a notice.
// On any failure the transaction is rolled back; a connection that could
// not roll back is left in its transaction, and the pool destroys it.
func (s *Store) atomic(ctx context.Context, stmts []store.Read, then func() ([]store.Read, bool, error)) error {
	c, err := s.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer c.Release()
	conn := c.Conn()
	if then == nil {
		if len(stmts) == 1 {
			rows, err := conn.Query(ctx, stmts[0].Query, stmts[0].Args...)
			if err != nil {
				return err
			}
			return readRows(rows, &stmts[0])
		}
		return runBatch(ctx, conn, stmts, "", "")
	}
	err = runBatch(ctx, conn, stmts, "BEGIN", "")
	for last := false; err == nil && !last; {
		var next []store.Read
		if next, last, err = then(); err == nil {
			commit := ""
			if last {
				commit = "COMMIT"
			}
			err = runBatch(ctx, conn, next, "", commit)
		}
	}
	if err != nil && conn.PgConn().TxStatus() != 'I' {
		_, _ = conn.Exec(ctx, "ROLLBACK")
	}
	return err
}

// runBatch sends stmts as one batch, between the statements before and
// after where given (transaction control), and reads their rows.
func runBatch(ctx context.Context, conn *pgx.Conn, stmts []store.Read, before, after string) error {
	w := wires.Get().(*wire)
	defer wires.Put(w)
	w.formats = w.formats[:0]
	var b pgconn.Batch
	if before != "" {
		b.ExecParams(before, nil, nil, nil, nil)
	}
	for i := range stmts {
		sd, err := conn.Prepare(ctx, stmts[i].Query, stmts[i].Query)
		if err != nil {
			return err
		}
		if err := w.eqb.Build(conn.TypeMap(), sd, stmts[i].Args); err != nil {
			return err
		}
		// The batch keeps each statement's result formats until its
		// rows are read; the builder's are overwritten by the next.
		n := len(w.formats)
		w.formats = append(w.formats, w.eqb.ResultFormats...)
		b.ExecStatement(sd, w.eqb.ParamValues, w.eqb.ParamFormats, w.formats[n:len(w.formats):len(w.formats)])
	}
	if after != "" {
		b.ExecParams(after, nil, nil, nil, nil)
	}
	mrr := conn.PgConn().ExecBatch(ctx, &b)
	if before != "" && mrr.NextResult() {
		if _, err := mrr.ResultReader().Close(); err != nil {
			mrr.Close()
			return err
		}
	}
	for i := range stmts {
		if !mrr.NextResult() {
			break
		}
		if err := readRows(pgx.RowsFromResultReader(conn.TypeMap(), mrr.ResultReader()), &stmts[i]); err != nil {
			mrr.Close()
			return forgetPlans(ctx, conn, stmts, err)
		}
	}
	return forgetPlans(ctx, conn, stmts, mrr.Close())
}

// forgetPlans deallocates the statements on conn when err says their
// plans no longer fit the schema (a migration by another server changed
// a table they read): pgx's own statement cache does the same for its
// statements, so the next call prepares them again.
func forgetPlans(ctx context.Context, conn *pgx.Conn, stmts []store.Read, err error) error {
	if c, _ := pgCode(err); c != featureNotSupported || conn.IsClosed() {
		return err
	}
	for i := range stmts {
		_ = conn.Deallocate(ctx, stmts[i].Query)
	}
	return err
}

// wire is what atomic builds a batch with, kept between calls.
type wire struct {
	eqb     pgx.ExtendedQueryBuilder
	formats []int16
}

var wires = sync.Pool{New: func() any { return new(wire) }}

// readRows reads a statement's rows (none for a write) and closes them.
func readRows(rows pgx.Rows, st *store.Read) error {
	for rows.Next() {
		if !st.Reads() {
			continue
		}
		if err := st.ReadRow(rows); err != nil {
			rows.Close()
			return err
		}
	}
	rows.Close()
	return rows.Err()
}
