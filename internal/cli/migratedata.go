package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"byline/internal/store/pgstore"
	"byline/internal/store/sqlitestore"
)

// migrateData is `byline migrate-data`: the copy itself is the store's
// (pgstore.CopyFromSQLite); this reads the flags and prints the counts.
func migrateData(ctx context.Context, env Env, args []string) error {
	fs := flag.NewFlagSet("migrate-data", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	from := fs.String("from", "", "the SQLite database to copy: sqlite:PATH (the server using it should be stopped)")
	to := fs.String("to", "", "the empty PostgreSQL database to copy into: postgres://user:password@host/db")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(env.Stdout, "Usage: byline migrate-data --from sqlite:PATH --to postgres://…\n\nFlags:\n")
			fs.SetOutput(env.Stdout)
			fs.PrintDefaults()
		}
		return err
	}
	path, ok := strings.CutPrefix(*from, "sqlite:")
	if !ok || path == "" {
		return errors.New("--from must be sqlite:PATH (the byline.db of the data directory)")
	}
	if !strings.HasPrefix(*to, "postgres://") && !strings.HasPrefix(*to, "postgresql://") {
		return errors.New("--to must be a postgres://… URL")
	}
	if st, err := os.Stat(path); err != nil || st.IsDir() {
		return fmt.Errorf("--from: no SQLite database at %s", path)
	}
	src, err := sqlitestore.Open(ctx, path)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer src.Close()
	dst, err := pgstore.Open(ctx, *to)
	if err != nil {
		return err
	}
	defer dst.Close()
	start := time.Now()
	counts, err := dst.CopyFromSQLite(ctx, src.Reader(), env.Stdout)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "table\tSQLite\tPostgreSQL\t")
	for _, c := range counts {
		fmt.Fprintf(tw, "%s\t%d\t%d\t\n", c.Table, c.SQLite, c.PostgreSQL)
	}
	tw.Flush()
	fmt.Fprintf(env.Stdout, "copied %d tables in %s; row counts match\n", len(counts), time.Since(start).Round(time.Millisecond))
	return nil
}
