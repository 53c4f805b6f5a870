package cli_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"byline/internal/auth"
	"byline/internal/cli"
	"byline/internal/store/sqlitestore"
)

func runIn(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errb syncBuffer
	code := cli.Run(context.Background(), cli.Env{Args: args, Getenv: func(string) string { return "" },
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb})
	return result{code, out.String(), errb.String()}
}

func TestUserAndTokenCommands(t *testing.T) {
	dir := t.TempDir()
	data := "--data=" + dir
	r := runIn(t, "correct horse\n", "user", "add", data, "--email", "Ed@Example.com", "--name", "Ed Itor", "--role", "editor")
	if r.code != 0 || !strings.Contains(r.stdout, "created editor Ed Itor <ed@example.com>") || strings.Contains(r.stdout, "password:") {
		t.Fatalf("user add: code %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	// An empty standard input generates a password and prints it once.
	r = runIn(t, "", "user", "add", data, "--email", "c@example.com", "--name", "Con Tributor")
	if r.code != 0 || !strings.Contains(r.stdout, "password: ") || !strings.Contains(r.stdout, "created contributor") {
		t.Fatalf("user add (generated): code %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	for _, tc := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"correct horse\n", []string{"user", "add", data, "--email", "ed@example.com", "--name", "Again", "--role", "editor"}, "already exists"},
		{"correct horse\n", []string{"user", "add", data, "--email", "x@example.com", "--name", "X", "--role", "boss"}, "role must be"},
		{"short\n", []string{"user", "add", data, "--email", "y@example.com", "--name", "Y"}, "at least 8"},
		{"correct horse\n", []string{"user", "add", data, "--email", "not-an-email", "--name", "Z"}, "not an e-mail"},
		{"", []string{"user", "disable", data, "--email", "nobody@example.com"}, "not found"},
		{"", []string{"user", "frobnicate", data}, "unknown subcommand"},
		{"", []string{"token", "create", data, "--email", "nobody@example.com"}, "not found"},
	} {
		r := runIn(t, tc.stdin, tc.args...)
		if r.code == 0 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: code %d, stderr %q, want failure mentioning %q", tc.args, r.code, r.stderr, tc.want)
		}
	}
	r = runIn(t, "", "user", "list", data)
	if r.code != 0 || !strings.Contains(r.stdout, "ed@example.com") || !strings.Contains(r.stdout, "c@example.com") {
		t.Fatalf("user list: %q %q", r.stdout, r.stderr)
	}
	r = runIn(t, "", "token", "create", data, "--email", "ed@example.com", "--name", "CMS bridge")
	tok := strings.TrimSpace(r.stdout)
	if r.code != 0 || !strings.HasPrefix(tok, auth.TokenPrefix) || strings.Contains(tok, "\n") {
		t.Fatalf("token create: code %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	r = runIn(t, "new password 1\n", "user", "reset-password", data, "--email", "ed@example.com")
	if r.code != 0 {
		t.Fatalf("reset-password: %q", r.stderr)
	}
	r = runIn(t, "", "user", "disable", data, "--email", "c@example.com")
	if r.code != 0 {
		t.Fatalf("disable: %q", r.stderr)
	}

	st, err := sqlitestore.Open(context.Background(), filepath.Join(dir, "byline.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ed, err := st.StaffByEmail(context.Background(), "ed@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if !auth.VerifyPassword(ed.PasswordHash, "new password 1") || auth.VerifyPassword(ed.PasswordHash, "correct horse") {
		t.Error("reset-password did not replace the password")
	}
	toks, err := st.ListTokens(context.Background(), ed.ID)
	if err != nil || len(toks) != 1 || toks[0].Name != "CMS bridge" || strings.Contains(toks[0].Hash, tok) {
		t.Errorf("stored tokens %+v (%v): want one named token stored as a hash", toks, err)
	}
	c, _ := st.StaffByEmail(context.Background(), "c@example.com")
	if !c.Disabled {
		t.Error("user disable did not disable the account")
	}
}
