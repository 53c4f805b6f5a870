package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"byline/internal/auth"
)

// tokenCmd manages Admin API tokens:
//
//	byline token create --email E [--name N]   prints the token on stdout
//	byline token list --email E
//	byline token revoke --id N
func tokenCmd(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return errors.New("usage: byline token create|list|revoke [flags]")
	}
	sub, args := args[0], args[1:]
	var email, name string
	var id int64
	extra := func(fs *flag.FlagSet) {
		switch sub {
		case "create":
			fs.StringVar(&email, "email", "", "e-mail address of the account the token acts as")
			fs.StringVar(&name, "name", "", "what the token is for (shown in lists)")
		case "list":
			fs.StringVar(&email, "email", "", "e-mail address of the account")
		case "revoke":
			fs.Int64Var(&id, "id", 0, "id of the token (see token list)")
		}
	}
	switch sub {
	case "create", "list", "revoke":
	default:
		return fmt.Errorf("unknown subcommand %q (create, list, revoke)", sub)
	}
	cfg, err := parseConfig("token "+sub, env, args, extra)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	ns := st
	switch sub {
	case "create", "list":
		if strings.TrimSpace(email) == "" {
			return errors.New("--email is required")
		}
		u, err := ns.StaffByEmail(ctx, email)
		if err != nil {
			return err
		}
		if sub == "list" {
			toks, err := ns.ListTokens(ctx, u.ID)
			if err != nil {
				return err
			}
			for _, t := range toks {
				state := "active"
				if t.Revoked {
					state = "revoked"
				}
				fmt.Fprintf(env.Stdout, "%d\t%s\t%s\t%s\n", t.ID, t.CreatedAt.Format("2006-01-02 15:04"), state, t.Name)
			}
			return nil
		}
		if u.Disabled {
			return fmt.Errorf("the account %s is disabled", u.Email)
		}
		raw, _, err := auth.NewTokens(ns).Create(ctx, u.ID, name)
		if err != nil {
			return err
		}
		announce(ctx, env, st)
		fmt.Fprintln(env.Stdout, raw)
	case "revoke":
		if err := ns.RevokeToken(ctx, id); err != nil {
			return err
		}
		announce(ctx, env, st)
		fmt.Fprintf(env.Stdout, "revoked token %d\n", id)
	}
	return nil
}
