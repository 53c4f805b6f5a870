// Package sqlitestore is Byline's default storage engine: an embedded
// SQLite database (pure Go, modernc.org/sqlite) in WAL mode, with
// migrations embedded in the binary. It implements news.Store.
package sqlitestore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"byline/internal/store"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Store is a SQLite database. Writes go through a single connection (SQLite
// allows one writer at a time; queueing them in Go is faster and never
// meets SQLITE_BUSY), reads through a pool.
type Store struct {
	*store.DB // the queries, written once for both engines
	path      string
	w         *sql.DB
	r         *sql.DB
	stmts     sync.Map // stmtKey -> *sql.Stmt, see prepared
	// opened is the writer connection's data version when Open finished:
	// Subscribe reports other processes' writes from there, so a write
	// made while a server loads (before its watcher first runs) is not
	// taken for the starting point and missed.
	opened int64
}

// Open opens (creating if needed) the database file at path and applies
// pending migrations.
func Open(ctx context.Context, path string) (*Store, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
	}
	dsn := func(extra string) string {
		q := url.Values{}
		for _, p := range []string{"foreign_keys(1)", "journal_mode(WAL)", "busy_timeout(10000)", "synchronous(NORMAL)", "cache_size(-32000)", "temp_store(MEMORY)"} {
			q.Add("_pragma", p)
		}
		if extra != "" {
			q.Set("_txlock", extra)
		}
		return "file:" + path + "?" + q.Encode()
	}
	w, err := sql.Open("sqlite", dsn("immediate"))
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	s := &Store{path: path, w: w}
	if err := s.probe(ctx); err != nil {
		w.Close()
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		w.Close()
		return nil, err
	}
	if s.opened, err = s.dataVersion(ctx); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite", dsn("")+"&mode=ro"+readerMmap)
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	n := max(4, runtime.GOMAXPROCS(0)*2)
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	r.SetConnMaxLifetime(0)
	s.r = r
	s.DB = store.New(w, r, dialect)
	return s, nil
}

// readerMmap has the read connections map the database file into memory
// (up to SQLite's limit, 2 GB) instead of copying each page they read
// into their page cache. The driver's SQLite keeps every connection's
// page cache under one process-wide lock (it is built with
// SQLITE_ENABLE_MEMORY_MANAGEMENT), which a search takes for each of the
// thousands of pages it touches: with 8 searches at once that lock, not
// the CPUs, set the pace (bench/README.md). A mapped page that is not in
// the WAL is read in place, without that lock or a read system call.
// Only readers map the file; writes go through the one writer connection
// as before. Not on 32-bit systems, where four 2 GB mappings do not fit.
var readerMmap = func() string {
	if strconv.IntSize < 64 {
		return ""
	}
	return "&_pragma=" + url.QueryEscape("mmap_size(2147418112)")
}()

// probe turns the driver's terse errors about a bad file into sentences
// that name the problem. It reads only the header and schema: a full
// integrity check reads the whole file (seconds for a large archive), so
// that is Check's job, run by backup and restore.
func (s *Store) probe(ctx context.Context) error {
	var mode string
	if err := s.w.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return describeOpenError(s.path, err)
	}
	var n int
	if err := s.w.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&n); err != nil {
		return describeOpenError(s.path, err)
	}
	return nil
}

// Check runs SQLite's integrity check over the whole database.
func (s *Store) Check(ctx context.Context) error {
	var ok string
	if err := s.w.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&ok); err != nil {
		return describeOpenError(s.path, err)
	}
	if ok != "ok" {
		return fmt.Errorf("database %s is damaged (quick_check: %s); restore it from a backup", s.path, ok)
	}
	return nil
}

func describeOpenError(path string, err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "not a database") || strings.Contains(msg, "malformed") || strings.Contains(msg, "corrupt"):
		return fmt.Errorf("database %s is not a valid SQLite database or is damaged; restore it from a backup: %w", path, err)
	case strings.Contains(msg, "readonly") || strings.Contains(msg, "permission") || strings.Contains(msg, "unable to open") || strings.Contains(msg, "out of memory (14)"):
		return fmt.Errorf("cannot open database %s for writing (check that the data directory exists and is writable): %w", path, err)
	}
	return fmt.Errorf("open database %s: %w", path, err)
}

// Migrations lists the embedded migration names in the order they apply.
func Migrations() []string { return store.MigrationNames(migrationFS) }

// migrate applies each pending migration in a transaction of its own and
// records it by name.
func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)`); err != nil {
		return describeOpenError(s.path, err)
	}
	rows, err := s.w.QueryContext(ctx, `SELECT name FROM schema_migrations`)
	if err != nil {
		return fmt.Errorf("read migrations: %w", err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return err
		}
		names = append(names, n)
	}
	rows.Close()
	pending, err := store.PendingMigrations(migrationFS, names)
	if err != nil {
		return err
	}
	for _, m := range pending {
		tx, err := s.w.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", m.Name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations(name, applied_at) VALUES (?, ?)`, m.Name, time.Now().UnixMilli()); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", m.Name, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %s: %w", m.Name, err)
		}
	}
	return nil
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.r.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Close closes both pools, checkpointing the WAL.
func (s *Store) Close() error {
	var errs []error
	if s.DB != nil {
		s.DB.CloseStatements()
	}
	s.stmts.Range(func(_, v any) bool {
		v.(*sql.Stmt).Close()
		return true
	})
	if s.r != nil {
		errs = append(errs, s.r.Close())
	}
	if s.w != nil {
		_, _ = s.w.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
		errs = append(errs, s.w.Close())
	}
	return errors.Join(errs...)
}

// Writer and Reader expose the pools to sibling files of features that
// extend this store (comments, newsroom).
func (s *Store) Writer() *sql.DB { return s.w }
func (s *Store) Reader() *sql.DB { return s.r }

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Backup writes a consistent copy of the database to dst while it serves.
func (s *Store) Backup(ctx context.Context, dst string) error {
	if _, err := os.Stat(dst); err == nil {
		return fmt.Errorf("backup target %s exists; choose a new file", dst)
	}
	_, err := s.w.ExecContext(ctx, `VACUUM INTO ?`, dst)
	return err
}

func isUnique(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

func isForeignKey(err error) bool {
	return err != nil && strings.Contains(err.Error(), "FOREIGN KEY")
}

// sqliteSpelling turns PostgreSQL's spelling in shared queries into
// SQLite's: text compares by code point without being told, and LIKE is
// already case-insensitive (for ASCII, as ILIKE is used for).
var sqliteSpelling = strings.NewReplacer(` COLLATE "C"`, "", ` ILIKE `, ` LIKE `)

// dialect is what SQLite says differently: times are milliseconds since
// 1970, text compares by code point without being told, the planner takes
// index hints, JSON arrays are read with json_each.
var dialect = store.Dialect{
	IndexedBy:    true,
	Time:         func(t time.Time) any { return t.UnixMilli() },
	IsUnique:     isUnique,
	IsForeignKey: isForeignKey,
	Rewrite:      func(q string) string { return sqliteSpelling.Replace(q) },
	TrackerMatch: trackerMatch,
	InsertOrder:  "rowid",
	Prepare:      true,
}
