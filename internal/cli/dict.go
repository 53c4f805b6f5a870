package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"byline/internal/dictionary"
	"byline/internal/news"
)

// dictCmd manages the bilingual dictionaries the reader dictionary shows
// translations from:
//
//	byline dict import FILE [--name NAME] [--format tsv|stardict|dictd]
//	byline dict list
//	byline dict remove NAME
//
// FILE is a TSV file (headword<TAB>translation[<TAB>note]), a StarDict
// .ifo file (with .idx and .dict or .dict.dz beside it) or a dictd .index
// file (with .dict or .dict.dz beside it). Importing under a name that
// exists replaces that dictionary in one transaction; a running server
// shows the new entries within seconds.
func dictCmd(ctx context.Context, env Env, args []string) error {
	const usage = "usage: byline dict import FILE [--name NAME] [--format tsv|stardict|dictd] | dict list | dict remove NAME"
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return errors.New(usage)
	}
	sub, args := args[0], args[1:]
	var positional string
	switch sub {
	case "import", "remove":
		if len(args) == 0 || strings.HasPrefix(args[0], "-") {
			return errors.New(usage)
		}
		positional, args = args[0], args[1:]
	case "list":
	default:
		return fmt.Errorf("unknown subcommand %q (import, list, remove)", sub)
	}
	var name, format string
	extra := func(fs *flag.FlagSet) {
		if sub == "import" {
			fs.StringVar(&name, "name", "", "name of the dictionary (default: the file's name without extension)")
			fs.StringVar(&format, "format", "", "tsv, stardict or dictd (default: from the file's extension)")
		}
	}
	cfg, err := parseConfig("dict "+sub, env, args, extra)
	if err != nil {
		return err
	}
	var entries []news.BilingualEntry
	if sub == "import" {
		// Parse before opening the database: a bad file changes nothing.
		if entries, format, err = readBilingual(positional, format); err != nil {
			return err
		}
		if name == "" {
			name = dictName(positional)
		}
		if err := news.ValidDictionaryName(name); err != nil {
			return fmt.Errorf("%s (choose one with --name)", news.PublicMessage(err))
		}
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	gs := st
	switch sub {
	case "import":
		if err := gs.ReplaceBilingual(ctx, name, entries); err != nil {
			return err
		}
		list, err := gs.ListBilingual(ctx)
		if err != nil {
			return err
		}
		n := len(entries)
		for _, d := range list {
			if d.Name == name {
				n = d.Entries
			}
		}
		announce(ctx, env, st)
		fmt.Fprintf(env.Stdout, "imported %d entries (%s) as dictionary %q\n", n, format, name)
	case "list":
		list, err := gs.ListBilingual(ctx)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			fmt.Fprintln(env.Stdout, "no bilingual dictionaries")
			return nil
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tENTRIES\tIMPORTED")
		for _, d := range list {
			fmt.Fprintf(tw, "%s\t%d\t%s\n", d.Name, d.Entries, d.ImportedAt.Format("2006-01-02 15:04 UTC"))
		}
		return tw.Flush()
	case "remove":
		if err := gs.RemoveBilingual(ctx, positional); err != nil {
			return err
		}
		announce(ctx, env, st)
		fmt.Fprintf(env.Stdout, "removed dictionary %q\n", positional)
	}
	return nil
}

// readBilingual parses a dictionary file in format, or in the format its
// extension names.
func readBilingual(path, format string) ([]news.BilingualEntry, string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, "", fmt.Errorf("cannot read %s: %w", path, errors.Unwrap(err))
	}
	if !st.Mode().IsRegular() {
		return nil, "", fmt.Errorf("%s is not a regular file", path)
	}
	if format == "" {
		switch ext := strings.ToLower(filepath.Ext(path)); ext {
		case ".tsv", ".txt", ".tab":
			format = "tsv"
		case ".ifo":
			format = "stardict"
		case ".index":
			format = "dictd"
		default:
			return nil, "", fmt.Errorf("cannot tell the format of %s from %q: give --format tsv, stardict or dictd", path, ext)
		}
	}
	var out []dictionary.BilingualEntry
	switch format {
	case "tsv":
		f, err := os.Open(path)
		if err != nil {
			return nil, "", err
		}
		defer f.Close()
		out, err = dictionary.ParseTSV(f)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", path, err)
		}
	case "stardict":
		if !strings.EqualFold(filepath.Ext(path), ".ifo") {
			return nil, "", fmt.Errorf("for StarDict give the .ifo file (the .idx and .dict files must be beside it)")
		}
		dir, base := filepath.Split(path)
		if dir == "" {
			dir = "."
		}
		out, err = dictionary.ParseStarDictFS(os.DirFS(dir), strings.TrimSuffix(base, filepath.Ext(base)))
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", path, err)
		}
	case "dictd":
		if !strings.EqualFold(filepath.Ext(path), ".index") {
			return nil, "", fmt.Errorf("for dictd give the .index file (the .dict or .dict.dz file must be beside it)")
		}
		idx, err := os.Open(path)
		if err != nil {
			return nil, "", err
		}
		defer idx.Close()
		base := strings.TrimSuffix(path, filepath.Ext(path))
		var dict io.ReadCloser
		for _, p := range []string{base + ".dict", base + ".dict.dz"} {
			if f, err := os.Open(p); err == nil {
				dict = f
				break
			}
		}
		if dict == nil {
			return nil, "", fmt.Errorf("no %s.dict or %s.dict.dz beside the index", filepath.Base(base), filepath.Base(base))
		}
		defer dict.Close()
		out, err = dictionary.ParseDictd(idx, dict)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", path, err)
		}
	default:
		return nil, "", fmt.Errorf("unknown --format %q (tsv, stardict or dictd)", format)
	}
	if len(out) == 0 {
		return nil, "", fmt.Errorf("%s holds no entries", path)
	}
	entries := make([]news.BilingualEntry, len(out))
	for i, e := range out {
		entries[i] = news.BilingualEntry{Headword: e.Headword, Translation: e.Translation, Note: e.Note}
	}
	return entries, format, nil
}

// dictName is a file's name without directory and extensions, made a
// valid dictionary name.
func dictName(path string) string {
	base := filepath.Base(path)
	for _, ext := range []string{".dz", ".gz", ".tsv", ".txt", ".tab", ".ifo", ".index", ".dict"} {
		base = strings.TrimSuffix(base, ext)
	}
	return strings.Map(func(r rune) rune {
		if news.ValidDictionaryName(string(r)) != nil {
			return '-'
		}
		return r
	}, base)
}
