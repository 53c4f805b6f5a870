package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"byline/internal/config"
	"byline/internal/media"
	"byline/internal/news"
)

const mediaUsage = "usage: byline media migrate --to s3://BUCKET/PREFIX | --to local | --to dir:PATH [--from …] [--verify]\n       byline media sweep [--remove] [--min-age 1h]"

// mediaCmd is `byline media migrate` and `byline media sweep`.
func mediaCmd(ctx context.Context, env Env, args []string) error {
	if len(args) > 0 && args[0] == "sweep" {
		return mediaSweep(ctx, env, args[1:])
	}
	if len(args) == 0 || args[0] != "migrate" {
		return errors.New(mediaUsage)
	}
	var to, from string
	var verify bool
	var workers int
	extra := func(fs *flag.FlagSet) {
		fs.StringVar(&to, "to", "", "where to copy the library: s3://BUCKET/PREFIX, local (the media directory in --data) or dir:PATH")
		fs.StringVar(&from, "from", "", "where to copy from (same forms); default: the configured --media-store")
		fs.BoolVar(&verify, "verify", false, "also compare every file's SHA-256 in both places (reads everything twice)")
		fs.IntVar(&workers, "workers", 4, "files copied at once")
	}
	cfg, err := parseConfig("media migrate", env, args[1:], extra)
	if err != nil {
		return err
	}
	if to == "" {
		return errors.New("say where to copy the library: --to s3://BUCKET/PREFIX, --to local or --to dir:PATH")
	}
	if workers < 1 || workers > 64 {
		return errors.New("--workers must be from 1 to 64")
	}
	open := func(loc string) (media.Storage, error) {
		switch loc {
		case "":
			return media.Configured(cfg)
		case "local":
			return media.Disk{Root: cfg.MediaDir()}, nil
		}
		return media.OpenStorage(loc, media.S3Options(cfg.S3), cfg.MediaDir())
	}
	src, err := open(from)
	if err != nil {
		return fmt.Errorf("--from: %w", err)
	}
	dst, err := open(to)
	if err != nil {
		return fmt.Errorf("--to: %w", err)
	}
	if src.String() == dst.String() {
		return fmt.Errorf("the library is already in %s", dst)
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	r, err := migrateMedia(ctx, src, dst, st, verify, workers)
	fmt.Fprintf(env.Stdout, "%s -> %s: %d files copied, %d already there, %d checked against the database\n", src, dst, r.copied, r.skipped, r.records)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "verified: every file of %s is in %s", src, dst)
	if verify {
		fmt.Fprint(env.Stdout, " with the same SHA-256")
	}
	fmt.Fprintln(env.Stdout, ". Now point every server at it (docs/scaling.md).")
	return nil
}

type migrateReport struct{ copied, skipped, records int }

// migrateMedia copies every file of src missing in dst. Each copy is
// written whole or not at all (Storage.Put), so an interrupted run is
// resumed by running it again: what is there with the same size is
// skipped. It then checks that dst holds every file of src and every
// file the database's media records name.
func migrateMedia(ctx context.Context, src, dst media.Storage, ms news.MediaStore, verify bool, workers int) (migrateReport, error) {
	var r migrateReport
	have := map[string]int64{}
	if err := dst.Walk(ctx, func(name string, size int64) error { have[name] = size; return nil }); err != nil {
		return r, err
	}
	want := map[string]int64{}
	if err := src.Walk(ctx, func(name string, size int64) error { want[name] = size; return nil }); err != nil {
		return r, err
	}
	var todo []string
	for name, size := range want {
		got, ok := have[name]
		switch {
		case !ok:
			todo = append(todo, name)
		case got != size:
			return r, fmt.Errorf("%s is in both places with different sizes (%d and %d bytes); remove the copy in %s and run again", name, size, got, dst)
		default:
			r.skipped++
		}
	}
	sort.Strings(todo)
	var (
		mu    sync.Mutex
		first error
		wg    sync.WaitGroup
		next  = make(chan string)
	)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for range workers {
		wg.Go(func() {
			for name := range next {
				err := copyMediaFile(ctx, src, dst, name)
				mu.Lock()
				if err != nil && first == nil {
					first = err
					cancel()
				} else if err == nil {
					r.copied++
				}
				mu.Unlock()
			}
		})
	}
feed:
	for _, name := range todo {
		select {
		case next <- name:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if first != nil {
		return r, first
	}
	if err := ctx.Err(); err != nil {
		return r, err
	}
	// Verify: list the destination again.
	clear(have)
	if err := dst.Walk(ctx, func(name string, size int64) error { have[name] = size; return nil }); err != nil {
		return r, err
	}
	var missing []string
	for name, size := range want {
		if got, ok := have[name]; !ok || got != size {
			missing = append(missing, name)
		}
	}
	if ms != nil {
		for page := 0; ; page++ {
			items, _, err := ms.ListMedia(ctx, news.MediaQuery{Limit: 200, Offset: page * 200})
			if err != nil {
				return r, err
			}
			for _, m := range items {
				r.records++
				names := []string{m.Path}
				for _, x := range m.Renditions {
					names = append(names, x.Path)
				}
				for _, n := range names {
					if _, ok := have[n]; !ok {
						if _, inSrc := want[n]; inSrc {
							missing = append(missing, n)
						}
					}
				}
			}
			if len(items) < 200 {
				break
			}
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return r, fmt.Errorf("%d files are not in %s after copying (first: %s); run again", len(missing), dst, missing[0])
	}
	if verify {
		for name := range want {
			a, err := hashOf(ctx, src, name)
			if err != nil {
				return r, err
			}
			b, err := hashOf(ctx, dst, name)
			if err != nil {
				return r, err
			}
			if a != b {
				return r, fmt.Errorf("%s differs between %s and %s; remove the copy in %s and run again", name, src, dst, dst)
			}
		}
	}
	return r, nil
}

func copyMediaFile(ctx context.Context, src, dst media.Storage, name string) error {
	o, err := src.Open(ctx, name)
	if err != nil {
		return err
	}
	defer o.Close()
	data, err := io.ReadAll(o)
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	if int64(len(data)) != o.Info().Size {
		return fmt.Errorf("read %s: got %d of %d bytes", name, len(data), o.Info().Size)
	}
	return dst.Put(ctx, name, bytes.NewReader(data))
}

func hashOf(ctx context.Context, s media.Storage, name string) ([32]byte, error) {
	o, err := s.Open(ctx, name)
	if err != nil {
		return [32]byte{}, err
	}
	defer o.Close()
	h := sha256.New()
	if _, err := io.Copy(h, o); err != nil {
		return [32]byte{}, fmt.Errorf("read %s from %s: %w", name, s, err)
	}
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return sum, nil
}

// publishDemoMedia copies the demo paper's pictures, which demo.Load
// writes into the media directory, to the configured --media-store when
// that is a bucket, so that every server on it shows them.
func publishDemoMedia(ctx context.Context, cfg *config.Config) error {
	dst, err := media.Configured(cfg)
	if err != nil {
		return err
	}
	if _, isDisk := dst.(media.Disk); isDisk {
		return nil
	}
	src := media.Disk{Root: cfg.MediaDir()}
	return src.Walk(ctx, func(name string, size int64) error {
		if !strings.HasPrefix(name, "demo/") {
			return nil
		}
		if o, err := dst.Open(ctx, name); err == nil {
			o.Close()
			return nil // there already (another server loaded it)
		}
		return copyMediaFile(ctx, src, dst, name)
	})
}

// mediaSweep is `byline media sweep`: it reports the stored files no
// media record names and, with --remove, deletes those older than
// --min-age that no article links.
func mediaSweep(ctx context.Context, env Env, args []string) error {
	var remove bool
	var minAge time.Duration
	extra := func(fs *flag.FlagSet) {
		fs.BoolVar(&remove, "remove", false, "delete the orphans (without it the sweep only reports)")
		fs.DurationVar(&minAge, "min-age", time.Hour, "leave files younger than this (an upload may be writing its record)")
	}
	cfg, err := parseConfig("media sweep", env, args, extra)
	if err != nil {
		return err
	}
	if minAge < 0 {
		return errors.New("--min-age must not be negative")
	}
	files, err := media.Configured(cfg)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	r, err := media.Sweep(ctx, st, files, minAge, time.Now(), remove)
	if err != nil {
		return err
	}
	var linked, young int
	for _, o := range r.Orphans {
		state := "orphan"
		switch {
		case o.Removed:
			state = "removed"
		case len(o.Used) > 0:
			linked++
			state = fmt.Sprintf("kept: linked by article %d (%s)", o.Used[0].ArticleID, o.Used[0].Headline)
		case o.Young && remove:
			young++
			state = "kept: newer than --min-age"
		case o.Young:
			state = "orphan (newer than --min-age: --remove keeps it)"
		}
		fmt.Fprintf(env.Stdout, "%s\t%d bytes\t%s\n", o.Name, o.Size, state)
	}
	fmt.Fprintf(env.Stdout, "%s: %d files, %d media records, %d files with no record", files, r.Files, r.Records, len(r.Orphans))
	if linked > 0 {
		fmt.Fprintf(env.Stdout, " (%d still linked by articles, kept)", linked)
	}
	if remove {
		fmt.Fprintf(env.Stdout, "; %d removed (%d bytes)", r.Removed, r.Bytes)
		if young > 0 {
			fmt.Fprintf(env.Stdout, ", %d newer than --min-age kept", young)
		}
	} else if len(r.Orphans) > linked {
		fmt.Fprint(env.Stdout, "; run with --remove to delete them")
	}
	fmt.Fprintln(env.Stdout, ".")
	return nil
}
