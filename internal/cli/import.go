package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"byline/internal/media"
	"byline/internal/wpimport"
)

// importCmd is `byline import wordpress FILE.xml [flags]`.
func importCmd(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(env.Stdout, "Usage: byline import wordpress FILE.xml [--dry-run] [--author-default SLUG] [--pages] [--media-dir DIR]")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return flag.ErrHelp
		}
		return errors.New("name what to import: wordpress")
	}
	if args[0] != "wordpress" {
		return fmt.Errorf("unknown import source %q; byline imports: wordpress", args[0])
	}
	args = args[1:]
	// FILE comes right after "wordpress" or last.
	var file string
	switch {
	case len(args) > 0 && !strings.HasPrefix(args[0], "-"):
		file, args = args[0], args[1:]
	case len(args) > 0 && !strings.HasPrefix(args[len(args)-1], "-"):
		file, args = args[len(args)-1], args[:len(args)-1]
	}
	var dryRun, pages bool
	var authorDefault, mediaDir string
	extra := func(fs *flag.FlagSet) {
		fs.BoolVar(&dryRun, "dry-run", false, "read and check everything, report what would be imported, write nothing")
		fs.StringVar(&authorDefault, "author-default", "", "slug of an existing author for posts whose WordPress author is unknown")
		fs.BoolVar(&pages, "pages", false, "import pages too, into a section called Pages")
		fs.StringVar(&mediaDir, "media-dir", "", "a copy of wp-content/uploads: featured images found there go into the media library (else their URLs are kept)")
	}
	cfg, err := parseConfig("import", env, args, extra)
	if err != nil {
		return err
	}
	if file == "" {
		return errors.New("name the WordPress export file: byline import wordpress FILE.xml")
	}
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("open export: %w", err)
	}
	defer f.Close()
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	files, err := media.Configured(cfg)
	if err != nil {
		return err
	}
	d := wpimport.Deps{Store: st, Imports: st, Redirect: st, Comments: st, Media: media.New(st, files)}
	stats, err := wpimport.Import(ctx, f, d, wpimport.Options{DryRun: dryRun, AuthorDefault: authorDefault, Pages: pages, MediaDir: mediaDir, Log: env.Stderr})
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	verb := "imported"
	if dryRun {
		verb = "would import (dry run, nothing written)"
	}
	fmt.Fprintf(env.Stdout, "%s %s: %s\n", verb, file, stats)
	if !dryRun && stats.Posts+stats.Pages > 0 {
		// Articles written one by one leave the search index slower than
		// it can be (docs/search.md): seconds on a large archive.
		t0 := time.Now()
		if err := st.TidySearch(ctx); err != nil {
			return fmt.Errorf("the import is stored, but tidying the search index failed (search still works): %w", err)
		}
		fmt.Fprintf(env.Stdout, "search index tidied in %s\n", time.Since(t0).Round(time.Millisecond))
	}
	if !dryRun {
		// Servers running on this database show the import within a
		// second (docs/operations.md).
		announce(ctx, env, st)
	}
	return nil
}
