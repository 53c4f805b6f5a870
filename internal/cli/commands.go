package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"byline/internal/demo"
	"byline/internal/store/pgstore"
	"byline/internal/store/sqlitestore"
)

func migrate(ctx context.Context, env Env, args []string) error {
	cfg, err := parseConfig("migrate", env, args, nil)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	if s, ok := st.(*sqlitestore.Store); ok {
		names, err := s.AppliedMigrations(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "database %s is at migration %s (%d applied)\n", s.Path(), names[len(names)-1], len(names))
		return nil
	}
	if s, ok := st.(*pgstore.Store); ok {
		names, err := s.AppliedMigrations(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "PostgreSQL database is at migration %s (%d applied)\n", names[len(names)-1], len(names))
		return nil
	}
	fmt.Fprintln(env.Stdout, "database is up to date")
	return nil
}

// tidySearchCmd runs TidySearch (docs/search.md): SQLite merges its
// full-text index; PostgreSQL analyzes it and chooses the commonest words
// again for the masks common words are walked by (about 17 s per 100,000
// articles, which go on being written meanwhile).
func tidySearchCmd(ctx context.Context, env Env, args []string) error {
	cfg, err := parseConfig("tidy-search", env, args, nil)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	if err := st.TidySearch(ctx); err != nil {
		return fmt.Errorf("tidy the search index: %w", err)
	}
	fmt.Fprintf(env.Stdout, "search index tidied in %s\n", time.Since(start).Round(time.Millisecond))
	return nil
}

func demoCmd(ctx context.Context, env Env, args []string) error {
	var n int
	var seed uint64
	var span time.Duration
	extra := func(fs *flag.FlagSet) {
		fs.IntVar(&n, "articles", 0, "generate this many synthetic articles (for benchmarks) after the demo paper")
		fs.Uint64Var(&seed, "seed", 1, "random seed of the generated archive")
		fs.DurationVar(&span, "span", 5*365*24*time.Hour, "generated articles are spread over this much time before now")
	}
	cfg, err := parseConfig("demo", env, args, extra)
	if err != nil {
		return err
	}
	if n < 0 || n > 10_000_000 {
		return errors.New("--articles must be from 0 to 10000000")
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	have, err := st.CountArticles(ctx)
	if err != nil {
		return err
	}
	if have == 0 {
		if err := demo.Load(ctx, st, demo.Options{MediaDir: cfg.MediaDir(), Monitor: true}); err != nil {
			return err
		}
		if err := publishDemoMedia(ctx, cfg); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, "loaded the demo paper")
	}
	if n > 0 {
		start := time.Now()
		err := demo.Generate(ctx, st, n, seed, time.Now(), span, func(done int) {
			if done%10000 == 0 {
				fmt.Fprintf(env.Stdout, "%d articles…\n", done)
			}
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "generated %d articles in %s\n", n, time.Since(start).Round(time.Millisecond))
		start = time.Now()
		if err := st.TidySearch(ctx); err != nil {
			return fmt.Errorf("tidy the search index: %w", err)
		}
		fmt.Fprintf(env.Stdout, "search index tidied in %s\n", time.Since(start).Round(time.Millisecond))
	}
	return nil
}
