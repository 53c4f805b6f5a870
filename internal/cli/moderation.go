package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"byline/internal/news"
)

// moderationCmd checks the moderation log:
//
//	byline moderation verify   walks the hash chain from the first entry;
//	                           exits non-zero at the first entry changed,
//	                           removed, inserted or reordered.
func moderationCmd(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return errors.New("usage: byline moderation verify [flags]")
	}
	sub, args := args[0], args[1:]
	if sub != "verify" {
		return fmt.Errorf("unknown subcommand %q (verify)", sub)
	}
	cfg, err := parseConfig("moderation verify", env, args, nil)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	var after int64
	prev, started := "", false
	total, legacy := 0, 0
	for {
		page, err := st.ModerationChain(ctx, after, 1000)
		if err != nil {
			return err
		}
		if len(page) == 0 {
			break
		}
		last, old, brk := news.VerifyChain(page, prev, started)
		legacy += old
		if brk != nil {
			return fmt.Errorf("moderation log: entry %d %s", brk.ID, brk.Reason)
		}
		for _, e := range page {
			if e.Hash != "" {
				started = true
			}
		}
		prev, total, after = last, total+len(page), page[len(page)-1].ID
	}
	fmt.Fprintf(env.Stdout, "moderation log verified: %d entries, chain intact", total-legacy)
	if legacy > 0 {
		fmt.Fprintf(env.Stdout, " (%d older entries written before the chain began are not covered)", legacy)
	}
	if prev != "" {
		fmt.Fprintf(env.Stdout, "; last hash %s", prev)
	}
	fmt.Fprintln(env.Stdout)
	return nil
}
