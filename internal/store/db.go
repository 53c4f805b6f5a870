// Package store is Byline's storage, written once for both engines: the
// queries live here, over database/sql, and each engine (sqlitestore,
// pgstore) only opens its database, runs its own migrations and supplies
// a Dialect for what the two truly disagree on (placeholders, how a time
// is stored, unique-violation errors, serialising writers).
//
// Queries are written with ? placeholders and PostgreSQL's spelling of
// what both accept (RETURNING, ON CONFLICT, TRUE/FALSE); DB rewrites each
// query string for the engine once and caches it. Time arguments are
// converted by the dialect and time columns scanned with Time, so no
// query needs to know how an engine keeps a time.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"byline/internal/news"

	"github.com/jackc/pgx/v5/pgtype"
)

// Dialect is what differs between engines.
type Dialect struct {
	// Numbered placeholders ($1, $2, ...) instead of ?.
	Numbered bool
	// Time converts a non-zero time to the stored form (the zero time is
	// always stored as NULL).
	Time func(time.Time) any
	// IsUnique tells a unique-constraint violation.
	IsUnique func(error) bool
	// IsForeignKey tells a foreign-key violation.
	IsForeignKey func(error) bool
	// LockSQL is the statement that serialises one kind of write (its one
	// argument, the kind's key) until the transaction ends, for engines
	// with several writers; empty where there is one writer.
	LockSQL string
	// Rewrite adjusts a query's text beyond placeholders (nil: none).
	Rewrite func(string) string
	// TrackerMatch is the engine's full-text part of the term tracker: a
	// condition on tracker_docs d that holds when d contains the phrase
	// of these tokens, and its one argument.
	TrackerMatch func(tokens []string) (cond string, arg any)
	// InsertOrder is the column that orders bilingual_entries as they
	// were inserted: SQLite's rowid, PostgreSQL's identity id.
	InsertOrder string
	// SkipLocked ends a sub-select that picks queue rows to claim, so
	// that several servers claiming at once skip each other's rows
	// instead of waiting (" FOR UPDATE SKIP LOCKED"); empty where there
	// is one writer.
	SkipLocked string
	// Prepare keeps prepared statements of the hottest reads (see
	// hotRow) and writes (see prepareWrites): SQLite parses a query again
	// on every run otherwise, while pgx caches statements by itself.
	Prepare bool
	// Batch runs several statements in one round trip to a server across
	// a network (PostgreSQL's pipeline, which the server runs as one
	// implicit transaction: a statement that fails undoes the ones before
	// it); nil runs them one after the other, as an in-process engine
	// loses nothing by that. The statements' queries and arguments are
	// already in the engine's form.
	Batch func(ctx context.Context, reads []Read) error
	// Atomic runs statements of fixed text (the hot comment writes, the
	// hot reads: DB.atomic, DB.batch) in one round trip as one
	// transaction, on statements the engine keeps prepared: on
	// PostgreSQL a batch of the wire protocol on pgx's own connection,
	// whose allocations are a fraction of database/sql's and of Batch's
	// pipeline. nil where the engine is in process (SQLite): DB runs them
	// in a transaction of prepared statements, where a trip costs nothing.
	// The statements' queries and arguments are already in the engine's
	// form.
	//
	// With then, the statements then gives (from what was read before)
	// follow in the same transaction, a round trip each, until then says
	// they were the last (DB.atomicThen).
	Atomic func(ctx context.Context, stmts []Read, then func() (next []Read, last bool, err error)) error
	// IndexedBy: the engine takes "INDEXED BY" hints (SQLite), for the
	// few queries its planner would otherwise run the slow way.
	IndexedBy bool
	// RowLock ends a SELECT in a transaction that reads rows it is about
	// to change from what it read (comment counts), so that a concurrent
	// writer waits (" FOR UPDATE"); empty where there is one writer.
	RowLock string
}

// Read is one statement of a batch (DB.batch, DB.atomic) and what reads
// each of its rows: Row, or else a scan into Into; neither runs a write
// whose result is not read.
type Read struct {
	Query string
	Args  []any
	Row   func(Scanner) error
	// Into are the destinations of the columns of each row, where Row is
	// nil (no closure to allocate: the hot writes read an id or two).
	Into []any
	// hot: the query text is fixed (no list of placeholders of varying
	// length), so it may be kept prepared (Dialect.Prepare, Atomic).
	hot bool
}

// Reads tells whether the statement's rows are read (else it is run as a
// write).
func (r *Read) Reads() bool { return r.Row != nil || r.Into != nil }

// ReadRow reads one row of the statement's result.
func (r *Read) ReadRow(sc Scanner) error {
	if r.Row != nil {
		return r.Row(sc)
	}
	return sc.Scan(r.Into...)
}

// Scanner is a row being read.
type Scanner interface{ Scan(dest ...any) error }

// batch runs reads on the reader, in order, through the dialect's Batch
// where it has one.
func (db *DB) batch(ctx context.Context, reads []Read) error {
	if db.d.Atomic != nil && allHot(reads) {
		db.engineForm(reads)
		return db.d.Atomic(ctx, reads, nil)
	}
	if db.d.Batch != nil {
		for i := range reads {
			reads[i].Query, reads[i].Args = db.q(reads[i].Query), db.args(reads[i].Args)
		}
		return db.d.Batch(ctx, reads)
	}
	for _, rd := range reads {
		var rows *sql.Rows
		var err error
		if rd.hot {
			rows, err = db.hotRows(ctx, rd.Query, rd.Args...)
		} else {
			rows, err = db.Query(ctx, rd.Query, rd.Args...)
		}
		if err := readRows(rows, err, &rd); err != nil {
			return err
		}
	}
	return nil
}

// readRows reads a query's rows into rd and closes them; err is the
// query's own error.
func readRows(rows *sql.Rows, err error, rd *Read) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := rd.ReadRow(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func allHot(reads []Read) bool {
	for i := range reads {
		if !reads[i].hot {
			return false
		}
	}
	return true
}

// atomic runs statements in order as one transaction: in one round trip
// through the dialect's Atomic where it has one (PostgreSQL), else in a
// transaction on the writer with each statement prepared (SQLite, in
// process). A statement that fails undoes the ones before it, so what
// must hold together is written as statements that fail rather than as
// checks in Go between them (the server runs the whole list before Go
// sees a row). The queries must be fixed texts (they are kept prepared).
func (db *DB) atomic(ctx context.Context, stmts []Read) error {
	return db.atomicThen(ctx, stmts, nil)
}

// atomicThen is atomic followed, in the same transaction, by the
// statements then gives from what was read before (a decision with its
// entry in the moderation log, whose hash Go computes from the last one,
// and the notice made from the entry), a round trip each on PostgreSQL,
// until then says they were the last. The queries then may give are
// listed in later, to be prepared before the transaction begins (SQLite).
func (db *DB) atomicThen(ctx context.Context, stmts []Read, then func() ([]Read, bool, error), later ...string) error {
	if db.d.Atomic != nil {
		db.engineForm(stmts)
		if then == nil {
			return db.d.Atomic(ctx, stmts, nil)
		}
		return db.d.Atomic(ctx, stmts, func() ([]Read, bool, error) {
			next, last, err := then()
			db.engineForm(next)
			return next, last, err
		})
	}
	for i := range stmts {
		if err := db.prepareWrites(ctx, stmts[i].Query); err != nil {
			return err
		}
	}
	if err := db.prepareWrites(ctx, later...); err != nil {
		return err
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	t := Tx{tx, db}
	if err := t.run(ctx, stmts); err != nil {
		return err
	}
	for last := then == nil; !last; {
		var next []Read
		if next, last, err = then(); err != nil {
			return err
		}
		if err := t.run(ctx, next); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// engineForm rewrites statements' queries and arguments for the engine.
func (db *DB) engineForm(stmts []Read) {
	for i := range stmts {
		stmts[i].Query, stmts[i].Args = db.q(stmts[i].Query), db.args(stmts[i].Args)
	}
}

// DB runs the shared queries: writes (and reads inside transactions) on
// w, plain reads on r (the same pool where the engine has one).
type DB struct {
	w, r *sql.DB
	whot sync.Map // query as written -> *sql.Stmt on w (prepareWrites)
	d    Dialect
	qs   sync.Map // query as written -> as the engine wants it
	hot  sync.Map // query as written -> *sql.Stmt on r (Dialect.Prepare)
	// the term tracker's: zones checked (tracker_meta.zone), and when
	// each kept count's key was last marked asked (tracker_asked)
	trackerZones, trackerAsked sync.Map
	lockComment                string // lockCommentSQL with the dialect's RowLock
}

// New makes a DB over an engine's pools.
// A nil r reads through w.
func New(w, r *sql.DB, d Dialect) *DB {
	if r == nil {
		r = w
	}
	return &DB{w: w, r: r, d: d, lockComment: lockCommentSQL + d.RowLock}
}

// q rewrites a query for the engine, once per query string.
func (db *DB) q(query string) string {
	if v, ok := db.qs.Load(query); ok {
		return v.(string)
	}
	out := query
	if db.d.Rewrite != nil {
		out = db.d.Rewrite(out)
	}
	if db.d.Numbered {
		out = number(out)
	}
	db.qs.Store(query, out)
	return out
}

// number turns ? placeholders into $1, $2, ... outside quoted text.
func number(q string) string {
	var b strings.Builder
	n := 0
	var quote byte
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// args converts time arguments to the engine's stored form.
func (db *DB) args(args []any) []any {
	for i, a := range args {
		if t, ok := a.(time.Time); ok {
			if t.IsZero() {
				args[i] = nil
			} else {
				args[i] = db.d.Time(t)
			}
		}
	}
	return args
}

// Exec runs a write.
func (db *DB) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return db.w.ExecContext(ctx, db.q(query), db.args(args)...)
}

// Insert runs an INSERT ... RETURNING id and gives the id.
func (db *DB) Insert(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	err := db.w.QueryRowContext(ctx, db.q(query), db.args(args)...).Scan(&id)
	return id, err
}

// Query runs a read.
func (db *DB) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return db.r.QueryContext(ctx, db.q(query), db.args(args)...)
}

// hotRows is hotRow for a read of several rows (the moderation rules'
// read of an article before every comment).
func (db *DB) hotRows(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if !db.d.Prepare {
		return db.Query(ctx, query, args...)
	}
	st, ok := db.hot.Load(query)
	if !ok {
		p, err := db.r.PrepareContext(ctx, db.q(query))
		if err != nil {
			return nil, err
		}
		if st, ok = db.hot.LoadOrStore(query, p); ok {
			p.Close()
		} else {
			st = p
		}
	}
	return st.(*sql.Stmt).QueryContext(ctx, db.args(args)...)
}

// QueryRow runs a read of one row.
func (db *DB) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return db.r.QueryRowContext(ctx, db.q(query), db.args(args)...)
}

// WriteRow runs a write that gives back one row (... RETURNING).
func (db *DB) WriteRow(ctx context.Context, query string, args ...any) *sql.Row {
	return db.w.QueryRowContext(ctx, db.q(query), db.args(args)...)
}

// hotRow runs a read of one row that is on the path of most requests, as
// a statement prepared once where the dialect asks for it.
func (db *DB) hotRow(ctx context.Context, query string, args ...any) (*sql.Row, error) {
	if !db.d.Prepare {
		return db.QueryRow(ctx, query, args...), nil
	}
	st, ok := db.hot.Load(query)
	if !ok {
		p, err := db.r.PrepareContext(ctx, db.q(query))
		if err != nil {
			return nil, err
		}
		if st, ok = db.hot.LoadOrStore(query, p); ok {
			p.Close()
		} else {
			st = p
		}
	}
	return st.(*sql.Stmt).QueryRowContext(ctx, db.args(args)...), nil
}

// prepareWrites prepares on the writer, where the dialect asks for it,
// statements that a transaction about to begin will run; a Tx runs a
// query so prepared through its statement. It must be called before the
// transaction begins, never inside one: SQLite's writer pool has one
// connection, which the transaction holds.
func (db *DB) prepareWrites(ctx context.Context, queries ...string) error {
	if !db.d.Prepare {
		return nil
	}
	for _, q := range queries {
		if _, ok := db.whot.Load(q); ok {
			continue
		}
		st, err := db.w.PrepareContext(ctx, db.q(q))
		if err != nil {
			return err
		}
		if _, loaded := db.whot.LoadOrStore(q, st); loaded {
			st.Close()
		}
	}
	return nil
}

// CloseStatements closes the prepared statements; the engine calls it
// before it closes its pools.
func (db *DB) CloseStatements() {
	for _, m := range []*sync.Map{&db.hot, &db.whot} {
		m.Range(func(k, v any) bool {
			v.(*sql.Stmt).Close()
			m.Delete(k)
			return true
		})
	}
}

// Tx is a transaction on the writer.
type Tx struct {
	tx *sql.Tx
	db *DB
}

// InTx runs fn in a transaction, committed when fn returns nil.
func (db *DB) InTx(ctx context.Context, fn func(tx Tx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(Tx{tx, db}); err != nil {
		return err
	}
	return tx.Commit()
}

// Lock serialises writers of one kind (key) until the transaction ends.
func (t Tx) Lock(ctx context.Context, key int64) error {
	if t.db.d.LockSQL == "" {
		return nil
	}
	_, err := t.Exec(ctx, t.db.d.LockSQL, key)
	return err
}

// stmt is the statement prepared for query by prepareWrites, bound to
// the transaction, or nil.
func (t Tx) stmt(ctx context.Context, query string) *sql.Stmt {
	if !t.db.d.Prepare {
		return nil
	}
	st, ok := t.db.whot.Load(query)
	if !ok {
		return nil
	}
	return t.tx.StmtContext(ctx, st.(*sql.Stmt))
}

// run runs statements in order inside the transaction (what atomic runs
// in one; prepared where prepareWrites prepared them).
func (t Tx) run(ctx context.Context, stmts []Read) error {
	for i := range stmts {
		s := &stmts[i]
		if !s.Reads() {
			if _, err := t.Exec(ctx, s.Query, s.Args...); err != nil {
				return err
			}
			continue
		}
		var rows *sql.Rows
		var err error
		if st := t.stmt(ctx, s.Query); st != nil {
			rows, err = st.QueryContext(ctx, t.db.args(s.Args)...)
		} else {
			rows, err = t.Query(ctx, s.Query, s.Args...)
		}
		if err := readRows(rows, err, s); err != nil {
			return err
		}
	}
	return nil
}

func (t Tx) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := t.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, t.db.args(args)...)
	}
	return t.tx.ExecContext(ctx, t.db.q(query), t.db.args(args)...)
}

func (t Tx) Insert(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	err := t.QueryRow(ctx, query, args...).Scan(&id)
	return id, err
}

func (t Tx) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := t.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, t.db.args(args)...)
	}
	return t.tx.QueryContext(ctx, t.db.q(query), t.db.args(args)...)
}

func (t Tx) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if st := t.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, t.db.args(args)...)
	}
	return t.tx.QueryRowContext(ctx, t.db.q(query), t.db.args(args)...)
}

// isUnique tells a unique-constraint violation.
func (db *DB) isUnique(err error) bool { return err != nil && db.d.IsUnique(err) }

// isForeignKey tells a foreign-key violation.
func (db *DB) isForeignKey(err error) bool { return err != nil && db.d.IsForeignKey(err) }

// collect reads every row with scan; no rows give nil, on both engines.
func collect[T any](rows *sql.Rows, err error, scan func(*sql.Rows) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Time scans a time column whichever way the engine keeps it
// (milliseconds since 1970 or a timestamp); NULL is the zero time.
func Time(t *time.Time) sql.Scanner { return timeScanner{t} }

type timeScanner struct{ t *time.Time }

func (s timeScanner) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		*s.t = time.Time{}
	case int64:
		*s.t = time.UnixMilli(v).UTC()
	case time.Time:
		*s.t = v.UTC()
	default:
		return fmt.Errorf("store: cannot scan a time from %T", v)
	}
	return nil
}

// ScanTimestamptz is how pgx's own rows (the batched reads on PostgreSQL,
// Dialect.Batch) hand a timestamptz over without boxing it for Scan: a
// list of articles scans five times a row.
func (s timeScanner) ScanTimestamptz(v pgtype.Timestamptz) error {
	if !v.Valid {
		*s.t = time.Time{}
		return nil
	}
	*s.t = v.Time.UTC()
	return nil
}

func notFoundOr(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return news.NotFound(what)
	}
	return err
}

// nullID stores the id 0 (none) as NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
