package cli

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"byline/internal/store/sqlitestore"
)

func backup(ctx context.Context, env Env, args []string) error {
	var to string
	extra := func(fs *flag.FlagSet) {
		fs.StringVar(&to, "to", "", "file to write the copy to (must not exist); default DATA/backups/byline-TIME.db")
	}
	cfg, err := parseConfig("backup", env, args, extra)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	s, ok := st.(*sqlitestore.Store)
	if !ok {
		return errors.New("for PostgreSQL use pg_dump (see docs/operations.md)")
	}
	if to == "" {
		to = cfg.DataDir + "/backups/byline-" + time.Now().UTC().Format("20060102-150405") + ".db"
		if err := prepareDataDir(cfg.DataDir + "/backups"); err != nil {
			return err
		}
	}
	if err := s.Backup(ctx, to); err != nil {
		return fmt.Errorf("backup to %s: %w", to, err)
	}
	fmt.Fprintf(env.Stdout, "wrote %s\n", to)
	return nil
}

// restore puts a backup made by `byline backup` in place as the data
// directory's database. It refuses to overwrite a database (restore into
// a new data directory, or move the old database away first) and checks
// the copy with PRAGMA quick_check before and after.
func restore(ctx context.Context, env Env, args []string) error {
	var from string
	extra := func(fs *flag.FlagSet) {
		fs.StringVar(&from, "from", "", "the backup file to restore (made by byline backup)")
	}
	cfg, err := parseConfig("restore", env, args, extra)
	if err != nil {
		return err
	}
	if strings.HasPrefix(cfg.Database, "postgres") {
		return errors.New("for PostgreSQL use pg_restore (see docs/operations.md)")
	}
	if from == "" {
		return errors.New("--from FILE is required")
	}
	if st, err := os.Stat(from); err != nil || st.IsDir() {
		return fmt.Errorf("--from: no backup file at %s", from)
	}
	if err := checkSQLite(ctx, from); err != nil {
		return fmt.Errorf("%s is not a usable backup: %w", from, err)
	}
	dst := cfg.SQLitePath()
	for _, p := range []string{dst, dst + "-wal", dst + "-shm"} {
		if _, err := os.Stat(p); err == nil {
			return fmt.Errorf("%s exists: restore into a data directory without a database (move the old one away first)", p)
		}
	}
	if err := prepareDataDir(filepath.Dir(dst)); err != nil {
		return err
	}
	// Copy next to the target, check, then rename: a failed restore
	// leaves no half-written database behind.
	tmp := dst + ".restoring"
	if err := copyFile(from, tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("copy %s: %w", from, err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Remove(tmp)
		return err
	}
	// Opening applies migrations newer than the backup.
	st, err := sqlitestore.Open(ctx, dst)
	if err != nil {
		return fmt.Errorf("open the restored database: %w", err)
	}
	n, err := st.CountArticles(ctx)
	st.Close()
	if err != nil {
		return err
	}
	if err := checkSQLite(ctx, dst); err != nil {
		return fmt.Errorf("the restored database fails its check: %w", err)
	}
	fmt.Fprintf(env.Stdout, "restored %s to %s (%d articles); quick_check ok\n", from, dst, n)
	return nil
}

// checkSQLite opens path read-only and runs PRAGMA quick_check, and
// checks that it is a Byline database.
func checkSQLite(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `PRAGMA quick_check`)
	if err != nil {
		return err
	}
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return err
		}
		if s != "ok" {
			problems = append(problems, s)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(problems) > 0 {
		return fmt.Errorf("quick_check: %s", strings.Join(problems, "; "))
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil || n == 0 {
		return errors.New("not a Byline database (no migrations recorded)")
	}
	return nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o640)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
