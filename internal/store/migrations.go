package store

import (
	"context"
	"database/sql"
	"io/fs"
	"slices"
	"sort"
	"strings"
)

// MigrationNames lists the migrations of an engine (the .sql files under
// migrations/ of its embedded files) in the order they apply.
func MigrationNames(fsys fs.FS) []string {
	ents, _ := fs.Glob(fsys, "migrations/*.sql")
	sort.Strings(ents)
	for i := range ents {
		ents[i] = strings.TrimPrefix(ents[i], "migrations/")
	}
	return ents
}

// AppliedMigrations lists the names recorded in the database.
func (db *DB) AppliedMigrations(ctx context.Context) ([]string, error) {
	rows, err := db.Query(ctx, `SELECT name FROM schema_migrations ORDER BY name`)
	return collect(rows, err, func(r *sql.Rows) (string, error) {
		var n string
		err := r.Scan(&n)
		return n, err
	})
}

// Migration is one migration file of an engine.
type Migration struct{ Name, SQL string }

// PendingMigrations are the migrations of fsys not among applied, in the
// order they apply. Each engine applies them its own way (a transaction
// each, and on PostgreSQL under a lock that lets one server migrate).
func PendingMigrations(fsys fs.FS, applied []string) ([]Migration, error) {
	var out []Migration
	for _, name := range MigrationNames(fsys) {
		if slices.Contains(applied, name) {
			continue
		}
		body, err := fs.ReadFile(fsys, "migrations/"+name)
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{name, string(body)})
	}
	return out, nil
}
