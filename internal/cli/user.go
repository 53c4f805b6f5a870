package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"byline/internal/auth"
	"byline/internal/news"
)

// userCmd manages newsroom accounts:
//
//	byline user add --email E --name N --role contributor|editor|admin
//	byline user list
//	byline user disable --email E   (and enable)
//	byline user reset-password --email E
//
// add and reset-password read the password from standard input when it is
// not a terminal; otherwise they generate one and print it once.
func userCmd(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(env.Stderr, "usage: byline user add|list|disable|enable|reset-password [flags]")
		return errors.New("missing subcommand")
	}
	sub, args := args[0], args[1:]
	var email, name, role string
	extra := func(fs *flag.FlagSet) {
		switch sub {
		case "add":
			fs.StringVar(&email, "email", "", "e-mail address (the sign-in name)")
			fs.StringVar(&name, "name", "", "full name")
			fs.StringVar(&role, "role", "contributor", "contributor, editor or admin")
		case "disable", "enable", "reset-password":
			fs.StringVar(&email, "email", "", "e-mail address of the account")
		}
	}
	switch sub {
	case "add", "list", "disable", "enable", "reset-password":
	default:
		return fmt.Errorf("unknown subcommand %q (add, list, disable, enable, reset-password)", sub)
	}
	cfg, err := parseConfig("user "+sub, env, args, extra)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	ns := st
	if sub != "list" && strings.TrimSpace(email) == "" {
		return errors.New("--email is required")
	}
	switch sub {
	case "add":
		pw, generated, err := readPassword(env)
		if err != nil {
			return err
		}
		u, err := auth.CreateUser(ctx, ns, email, name, news.Role(role), pw)
		if err != nil {
			return err
		}
		announce(ctx, env, st)
		fmt.Fprintf(env.Stdout, "created %s %s <%s>\n", u.Role, u.Name, u.Email)
		if generated {
			fmt.Fprintf(env.Stdout, "password: %s\n(shown only this once)\n", pw)
		}
	case "list":
		users, err := ns.ListStaff(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "EMAIL\tNAME\tROLE\tSTATUS\t2FA")
		for _, u := range users {
			status, tfa := "active", "no"
			if u.Disabled {
				status = "disabled"
			}
			if u.TOTPSecret != "" {
				tfa = "yes"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Email, u.Name, u.Role, status, tfa)
		}
		return tw.Flush()
	case "disable", "enable":
		u, err := ns.StaffByEmail(ctx, email)
		if err != nil {
			return err
		}
		if err := auth.SetDisabled(ctx, ns, &u, sub == "disable"); err != nil {
			return err
		}
		announce(ctx, env, st)
		fmt.Fprintf(env.Stdout, "%sd %s\n", sub, u.Email)
	case "reset-password":
		u, err := ns.StaffByEmail(ctx, email)
		if err != nil {
			return err
		}
		pw, generated, err := readPassword(env)
		if err != nil {
			return err
		}
		if err := auth.SetPassword(ctx, ns, &u, pw); err != nil {
			return err
		}
		announce(ctx, env, st)
		fmt.Fprintf(env.Stdout, "new password set for %s; their sessions were ended\n", u.Email)
		if generated {
			fmt.Fprintf(env.Stdout, "password: %s\n(shown only this once)\n", pw)
		}
	}
	return nil
}

// readPassword reads one line from standard input when it is not a
// terminal (scripts pipe it); on a terminal, or when the line is empty, it
// generates a password.
func readPassword(env Env) (pw string, generated bool, err error) {
	if env.Stdin == nil || isTerminal(env.Stdin) {
		return auth.GeneratePassword(), true, nil
	}
	line, err := bufio.NewReader(io.LimitReader(env.Stdin, auth.MaxPassword+2)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", false, fmt.Errorf("read password from standard input: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return auth.GeneratePassword(), true, nil
	}
	return line, false, auth.CheckPassword(line)
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
