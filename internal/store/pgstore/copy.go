package pgstore

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// seededTables are filled by the migrations themselves; the copy replaces
// their rows instead of counting them as a non-empty target.
//
// tracker_queue is filled by triggers as articles, tags and bylines are
// copied in: it is copied last, emptied first. tracker_meta has its row
// from the migration.
//
// search_words (the spelling vocabulary) is filled by trigger too, as
// published articles are copied in: copied last, emptied first, so the
// counts are the source's.
// mod_rule_generation has its one row from the migration too.
var seededTables = map[string]bool{"dictionary_version": true, "tracker_queue": true, "tracker_meta": true, "search_words": true,
	"mod_rule_generation": true}

// idleTriggers are switched off while the copy runs (inside its
// transaction, so a failed copy leaves them on): they keep a seeded table
// that the copy replaces with the source's rows anyway. search_words'
// triggers add one to the count of every word of every published article:
// in one transaction that is a new version of the row of "the" per
// article, each found by walking the versions before it, so the copy of
// 100,000 articles went from minutes to more than half an hour.
var idleTriggers = map[string][]string{"articles": {"search_words_ins", "search_words_upd"}}

// derivedTables exist only in PostgreSQL and are filled by triggers as
// articles are copied in (article_search: what search reads). They are
// not copied; their indexes that back no constraint are dropped during
// the copy and built once after it, as the copied tables' are.
var derivedTables = map[string]bool{"article_search": true, "article_common": true, "search_common": true, "search_common_dirty": true}

// migrateData copies a whole paper from SQLite to PostgreSQL: every table
// the PostgreSQL migrations create, in foreign-key order, ids kept, in one
// transaction on the target, then checks the row counts.
// TableCount is one table's rows in the source and, after the copy, in
// PostgreSQL.
type TableCount struct {
	Table              string
	SQLite, PostgreSQL int64
}

type pgColumn struct {
	name, typ string
}

// CopyFromSQLite copies a whole paper from a SQLite database (src, the
// handle of sqlitestore's Reader) into this empty PostgreSQL database, in
// one transaction, and checks every table's row count (byline
// migrate-data).
func (s *Store) CopyFromSQLite(ctx context.Context, src *sql.DB, progress io.Writer) ([]TableCount, error) {
	tx, err := s.Pool().BeginTx(ctx, pgx.TxOptions{})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	tables, err := pgTablesInFKOrder(ctx, tx)
	if err != nil {
		return nil, err
	}
	// The tracker's queue last: copying articles, tags and bylines fills
	// it by trigger; the source's queue replaces that.
	for _, last := range []string{"tracker_queue", "search_words"} {
		if i := slices.Index(tables, last); i >= 0 {
			tables = append(append(tables[:i:i], tables[i+1:]...), last)
		}
	}
	var derivedIndexes []string
	for t := range derivedTables {
		if i := slices.Index(tables, t); i >= 0 {
			tables = append(tables[:i:i], tables[i+1:]...)
			defs, err := dropIndexes(ctx, tx, t)
			if err != nil {
				return nil, fmt.Errorf("copy: %s: %w", t, err)
			}
			derivedIndexes = append(derivedIndexes, defs...)
		}
	}
	srcTables, err := sqliteTables(ctx, src)
	if err != nil {
		return nil, err
	}
	// Refuse a target with a paper in it.
	for _, t := range tables {
		var n int64
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM `+pgx.Identifier{t}.Sanitize()).Scan(&n); err != nil {
			return nil, err
		}
		if n > 0 && !seededTables[t] {
			return nil, fmt.Errorf("the PostgreSQL database is not empty (table %s has %d rows): migrate-data copies into an empty database only", t, n)
		}
	}
	for t := range srcTables {
		if !slices.Contains(tables, t) {
			return nil, fmt.Errorf("table %s of the SQLite database has no counterpart in PostgreSQL: is this binary older than the database?", t)
		}
	}
	// Index builds after the copy want memory (the GIN search index
	// above all); this lasts only as long as the transaction.
	if _, err := tx.Exec(ctx, `SET LOCAL maintenance_work_mem = '256MB'`); err != nil {
		return nil, err
	}
	for t, names := range idleTriggers {
		for _, name := range names {
			if _, err := tx.Exec(ctx, `ALTER TABLE `+pgx.Identifier{t}.Sanitize()+` DISABLE TRIGGER `+pgx.Identifier{name}.Sanitize()); err != nil {
				return nil, fmt.Errorf("copy: switch off trigger %s: %w", name, err)
			}
		}
	}
	var counts []TableCount
	for _, t := range tables {
		if seededTables[t] {
			if _, err := tx.Exec(ctx, `DELETE FROM `+pgx.Identifier{t}.Sanitize()); err != nil {
				return nil, err
			}
		}
		if !srcTables[t] {
			return nil, fmt.Errorf("table %s is missing from the SQLite database: run `byline migrate` on it first", t)
		}
		t0 := time.Now()
		rebuild, err := dropIndexes(ctx, tx, t)
		if err != nil {
			return nil, fmt.Errorf("copy %s: %w", t, err)
		}
		n, err := copyTable(ctx, src, tx, t)
		if err != nil {
			return nil, fmt.Errorf("copy %s: %w", t, err)
		}
		for _, def := range rebuild {
			if _, err := tx.Exec(ctx, def); err != nil {
				return nil, fmt.Errorf("copy %s: rebuild index: %w", t, err)
			}
		}
		fmt.Fprintf(progress, "%-26s %d rows in %s\n", t, n, time.Since(t0).Round(time.Millisecond))
		if err := resetSequences(ctx, tx, t); err != nil {
			return nil, fmt.Errorf("reset the id sequence of %s: %w", t, err)
		}
		var s, d int64
		if err := src.QueryRowContext(ctx, `SELECT count(*) FROM "`+t+`"`).Scan(&s); err != nil {
			return nil, err
		}
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM `+pgx.Identifier{t}.Sanitize()).Scan(&d); err != nil {
			return nil, err
		}
		if s != d {
			return nil, fmt.Errorf("table %s: %d rows in SQLite but %d copied; nothing was committed", t, s, d)
		}
		counts = append(counts, TableCount{t, s, d})
	}
	t0 := time.Now()
	for _, def := range derivedIndexes {
		if _, err := tx.Exec(ctx, def); err != nil {
			return nil, fmt.Errorf("rebuild index: %w", err)
		}
	}
	if len(derivedIndexes) > 0 {
		fmt.Fprintf(progress, "%-26s %d indexes in %s\n", "(derived tables)", len(derivedIndexes), time.Since(t0).Round(time.Millisecond))
	}
	// Search picks its path from the statistics of article_search
	// (search_plan.go) and walks common words by article_common's masks
	// of search_common's lexemes (migration 0840): have them before the
	// first reader comes (the copy's articles were masked with the empty
	// list of a new database).
	if _, err := tx.Exec(ctx, `ANALYZE article_search`); err != nil {
		return nil, fmt.Errorf("after the copy: %w", err)
	}
	if err := rebuildCommon(ctx, tx, nil); err != nil {
		return nil, fmt.Errorf("after the copy: %w", err)
	}
	if _, err := tx.Exec(ctx, `ANALYZE article_common`); err != nil {
		return nil, fmt.Errorf("after the copy: %w", err)
	}
	for t, names := range idleTriggers {
		for _, name := range names {
			if _, err := tx.Exec(ctx, `ALTER TABLE `+pgx.Identifier{t}.Sanitize()+` ENABLE TRIGGER `+pgx.Identifier{name}.Sanitize()); err != nil {
				return nil, fmt.Errorf("copy: switch trigger %s back on: %w", name, err)
			}
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	return counts, nil
}

// dropIndexes drops the table's indexes that back no constraint and
// returns the statements that make them again: building an index once
// after a bulk copy is many times faster than updating it row by row (the
// articles' GIN search index: 3 minutes become 10 seconds at 100,000
// articles). The transaction makes this invisible to anyone else.
func dropIndexes(ctx context.Context, tx pgx.Tx, table string) ([]string, error) {
	rows, err := tx.Query(ctx, `SELECT i.indexname, i.indexdef FROM pg_indexes i
		WHERE i.schemaname = current_schema() AND i.tablename = $1
		AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)`, table)
	if err != nil {
		return nil, err
	}
	type index struct{ name, def string }
	idx, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (index, error) {
		var i index
		return i, r.Scan(&i.name, &i.def)
	})
	if err != nil {
		return nil, err
	}
	var defs []string
	for _, i := range idx {
		if _, err := tx.Exec(ctx, `DROP INDEX `+pgx.Identifier{i.name}.Sanitize()); err != nil {
			return nil, err
		}
		defs = append(defs, i.def)
	}
	return defs, nil
}

// pgTablesInFKOrder lists the target's tables (but the migrations' own)
// so that every table comes after the tables it references.
func pgTablesInFKOrder(ctx context.Context, tx pgx.Tx) ([]string, error) {
	rows, err := tx.Query(ctx, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations' ORDER BY table_name`)
	if err != nil {
		return nil, err
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	rows, err = tx.Query(ctx, `SELECT c.conrelid::regclass::text, c.confrelid::regclass::text FROM pg_constraint c
		JOIN pg_namespace n ON n.oid = c.connamespace WHERE c.contype = 'f' AND n.nspname = current_schema()`)
	if err != nil {
		return nil, err
	}
	deps := map[string][]string{}
	for rows.Next() {
		var from, to string
		if err := rows.Scan(&from, &to); err != nil {
			return nil, err
		}
		from, to = strings.Trim(from, `"`), strings.Trim(to, `"`)
		if from != to { // a self-reference is checked at the end of the COPY
			deps[from] = append(deps[from], to)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var order []string
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(string) error
	visit = func(t string) error {
		switch state[t] {
		case 1:
			return fmt.Errorf("foreign keys form a cycle through %s", t)
		case 2:
			return nil
		}
		state[t] = 1
		ds := deps[t]
		sort.Strings(ds)
		for _, d := range ds {
			if err := visit(d); err != nil {
				return err
			}
		}
		state[t] = 2
		order = append(order, t)
		return nil
	}
	for _, t := range names {
		if err := visit(t); err != nil {
			return nil, err
		}
	}
	return order, nil
}

// sqliteTables are the source's ordinary tables (not FTS shadows, not
// SQLite's own, not the migrations').
func sqliteTables(ctx context.Context, db *sql.DB) (map[string]bool, error) {
	rows, err := db.QueryContext(ctx, `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
		AND name NOT LIKE 'articles_fts%' AND name NOT LIKE 'tracker_fts%' AND name <> 'schema_migrations' AND sql NOT LIKE 'CREATE VIRTUAL%'`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out[n] = true
	}
	return out, rows.Err()
}

// copyTable streams one table with COPY, converting SQLite's values (unix
// milliseconds, 0/1, text) to the target column types.
func copyTable(ctx context.Context, src *sql.DB, tx pgx.Tx, table string) (int64, error) {
	rows, err := tx.Query(ctx, `SELECT column_name, data_type FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position`, table)
	if err != nil {
		return 0, err
	}
	pgCols, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (pgColumn, error) {
		var c pgColumn
		return c, r.Scan(&c.name, &c.typ)
	})
	if err != nil {
		return 0, err
	}
	have := map[string]bool{}
	srows, err := src.QueryContext(ctx, `SELECT name FROM pragma_table_info(?)`, table)
	if err != nil {
		return 0, err
	}
	for srows.Next() {
		var n string
		if err := srows.Scan(&n); err != nil {
			srows.Close()
			return 0, err
		}
		have[n] = true
	}
	srows.Close()
	var cols []pgColumn
	var names, quoted []string
	for _, c := range pgCols {
		if have[c.name] {
			cols = append(cols, c)
			names = append(names, c.name)
			quoted = append(quoted, `"`+c.name+`"`)
		}
	}
	srows, err = src.QueryContext(ctx, `SELECT `+strings.Join(quoted, ", ")+` FROM "`+table+`"`)
	if err != nil {
		return 0, err
	}
	defer srows.Close()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var convErr error
	n, err := tx.CopyFrom(ctx, pgx.Identifier{table}, names, pgx.CopyFromFunc(func() ([]any, error) {
		if !srows.Next() {
			return nil, srows.Err()
		}
		if err := srows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out := make([]any, len(cols))
		for i, c := range cols {
			out[i], convErr = convertValue(vals[i], c.typ)
			if convErr != nil {
				return nil, fmt.Errorf("column %s: %w", c.name, convErr)
			}
		}
		return out, nil
	}))
	return n, err
}

// convertValue turns a value read from SQLite into one pgx encodes as
// the PostgreSQL type typ.
func convertValue(v any, typ string) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch typ {
	case "timestamp with time zone", "timestamp without time zone":
		switch x := v.(type) {
		case int64:
			return time.UnixMilli(x).UTC(), nil
		case float64:
			return time.UnixMilli(int64(x)).UTC(), nil
		case string:
			return time.Parse(time.RFC3339Nano, x)
		case time.Time:
			return x.UTC(), nil
		}
	case "boolean":
		switch x := v.(type) {
		case int64:
			return x != 0, nil
		case bool:
			return x, nil
		}
	case "bytea":
		switch x := v.(type) {
		case []byte:
			return x, nil
		case string:
			return []byte(x), nil
		}
	case "jsonb", "json", "text", "character varying":
		switch x := v.(type) {
		case []byte:
			return string(x), nil
		case string:
			return x, nil
		case int64, float64:
			return fmt.Sprint(x), nil
		}
	case "bigint", "integer", "smallint":
		switch x := v.(type) {
		case int64:
			return x, nil
		case float64:
			return int64(x), nil
		}
	case "double precision", "real", "numeric":
		switch x := v.(type) {
		case float64:
			return x, nil
		case int64:
			return float64(x), nil
		}
	default:
		return v, nil
	}
	return nil, fmt.Errorf("cannot store a %T as %s", v, typ)
}

// resetSequences moves each id sequence of table past the copied ids.
func resetSequences(ctx context.Context, tx pgx.Tx, table string) error {
	rows, err := tx.Query(ctx, `SELECT column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')`, table)
	if err != nil {
		return err
	}
	cols, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	qt := pgx.Identifier{table}.Sanitize()
	for _, c := range cols {
		qc := pgx.Identifier{c}.Sanitize()
		_, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT max(`+qc+`) FROM `+qt+`), 0) + 1, false)`, qt, c)
		if err != nil {
			return err
		}
	}
	return nil
}
