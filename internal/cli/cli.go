// Package cli is the byline command: it parses arguments and runs the
// subcommands listed by commands() (serve, migrate, demo, backup and
// restore, migrate-data, user, token, dict, moderation, media, import,
// version); `byline help` prints them with a line each. Everything is
// built from the arguments and Env, so tests run the real program
// in-process.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"byline/internal/config"
	"byline/internal/news"
	"byline/internal/store/sqlitestore"
)

// Env is the program's outside world.
type Env struct {
	Args   []string // without the program name
	Getenv func(string) string
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Ready, when set, is called with the listening address once serve
	// accepts connections (tests use it).
	Ready func(addr string)
}

// Version is set at build time with -ldflags "-X byline/internal/cli.Version=…".
var Version = ""

// command is one subcommand.
type command struct {
	name, summary string
	run           func(ctx context.Context, env Env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "run the web server", serve},
		{"migrate", "apply database migrations and exit", migrate},
		{"demo", "load the demo paper, or generate a large archive (--articles N)", demoCmd},
		{"backup", "write a consistent copy of the database while it serves", backup},
		{"tidy-search", "bring search back to full speed after bulk writes or growth (import and demo do it at their end)", tidySearchCmd},
		{"restore", "put a backup in place: restore --from FILE into a data directory without a database", restore},
		{"migrate-data", "copy a whole paper from SQLite to PostgreSQL: --from sqlite:PATH --to postgres://…", migrateData},
		{"user", "manage newsroom accounts: add, list, disable, enable, reset-password", userCmd},
		{"token", "create, list or revoke Admin API tokens", tokenCmd},
		{"dict", "bilingual dictionaries for the reader dictionary: import, list, remove", dictCmd},
		{"moderation", "check the comment moderation log: moderation verify (the hash chain, entry by entry)", moderationCmd},
		{"media", "move the media library: media migrate --to s3://BUCKET/PREFIX (or --to local), resumable and verified; media sweep [--remove] finds files no record names", mediaCmd},
		{"import", "import a WordPress export: import wordpress FILE.xml [--dry-run]", importCmd},
		{"version", "print the version", version},
		{"help", "show help", nil},
	}
}

// Run runs the command line and returns the process exit code.
func Run(ctx context.Context, env Env) int {
	if env.Getenv == nil {
		env.Getenv = func(string) string { return "" }
	}
	if len(env.Args) == 0 {
		usage(env.Stderr)
		return 2
	}
	name, args := env.Args[0], env.Args[1:]
	if name == "help" || name == "-h" || name == "--help" {
		usage(env.Stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name == name && c.run != nil {
			err := c.run(ctx, env, args)
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			if err != nil {
				fmt.Fprintf(env.Stderr, "byline %s: %v\n", name, err)
				return 1
			}
			return 0
		}
	}
	fmt.Fprintf(env.Stderr, "byline: unknown command %q\n\n", name)
	usage(env.Stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Byline: a news publishing platform in one binary.")
	fmt.Fprintln(w, "\nUsage: byline COMMAND [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-13s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'byline COMMAND -h' for a command's flags. Every flag can also be set")
	fmt.Fprintln(w, "with an environment variable: --base-url is BYLINE_BASE_URL, and so on.")
}

func version(ctx context.Context, env Env, args []string) error {
	v := Version
	if v == "" {
		v = "devel"
		if bi, ok := debug.ReadBuildInfo(); ok {
			for _, s := range bi.Settings {
				if s.Key == "vcs.revision" && len(s.Value) >= 12 {
					v = "devel-" + s.Value[:12]
				}
			}
		}
	}
	fmt.Fprintln(env.Stdout, "byline", v)
	return nil
}

// parseConfig parses the common configuration with a command's extra flags.
func parseConfig(name string, env Env, args []string, extra func(fs *flag.FlagSet)) (*config.Config, error) {
	var rest []string
	common, own := splitFlags(args, extra)
	if extra != nil {
		fs := flag.NewFlagSet(name, flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		extra(fs)
		if err := fs.Parse(own); err != nil {
			return nil, err
		}
		rest = fs.Args()
	}
	cfg, err := config.Parse(name, append(common, rest...), env.Getenv, func(fs *flag.FlagSet) {
		fmt.Fprintf(env.Stdout, "Usage: byline %s [flags]\n\nFlags:\n%s", name, config.Usage(fs))
		if extra != nil {
			efs := flag.NewFlagSet(name, flag.ContinueOnError)
			extra(efs)
			fmt.Fprint(env.Stdout, config.Usage(efs))
		}
	})
	return cfg, err
}

// splitFlags separates a command's own flags from the common ones.
func splitFlags(args []string, extra func(fs *flag.FlagSet)) (common, own []string) {
	if extra == nil {
		return args, nil
	}
	fs := flag.NewFlagSet("", flag.ContinueOnError)
	extra(fs)
	for i := 0; i < len(args); i++ {
		a := args[i]
		name := strings.TrimLeft(a, "-")
		name, _, hasValue := strings.Cut(name, "=")
		f := fs.Lookup(name)
		if f == nil || !strings.HasPrefix(a, "-") {
			common = append(common, a)
			continue
		}
		own = append(own, a)
		if _, isBool := f.Value.(interface{ IsBoolFlag() bool }); !hasValue && !isBool && i+1 < len(args) {
			i++
			own = append(own, args[i])
		}
	}
	return common, own
}

func newLogger(cfg *config.Config, w io.Writer) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: lvl}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// prepareDataDir makes sure the data directory exists and is writable,
// and says so clearly when it is not.
func prepareDataDir(dir string) error {
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		return fmt.Errorf("data directory %s is a file, not a directory", dir)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("cannot create data directory %s: %w", dir, err)
	}
	probe := filepath.Join(dir, ".byline-write-test")
	if err := os.WriteFile(probe, []byte("ok"), 0o600); err != nil {
		return fmt.Errorf("data directory %s is not writable: %w", dir, err)
	}
	return os.Remove(probe)
}

// openStore opens the configured storage engine.
func openStore(ctx context.Context, cfg *config.Config) (news.Store, error) {
	if strings.HasPrefix(cfg.Database, "postgres") {
		return openPostgres(ctx, cfg.Database)
	}
	if err := prepareDataDir(cfg.DataDir); err != nil {
		return nil, err
	}
	return sqlitestore.Open(ctx, cfg.SQLitePath())
}

// announce tells servers running on the same database that this command
// wrote to it, so they reload what they keep in memory and drop their
// cached pages. On PostgreSQL the news travels on the change channel; on
// SQLite, Publish does nothing and the servers notice the write
// themselves (PRAGMA data_version), within a second either way.
func announce(ctx context.Context, env Env, st news.Store) {
	p, ok := st.(interface {
		Publish(ctx context.Context, payload []byte) error
	})
	if !ok {
		return
	}
	if err := p.Publish(ctx, []byte(`{"server":"cli","kind":"`+string(news.ChangeAll)+`"}`)); err != nil {
		fmt.Fprintf(env.Stderr, "warning: running servers were not told of this change (they pick it up on restart): %v\n", err)
	}
}
