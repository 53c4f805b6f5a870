package config

import (
	"byline/internal/readerauth/providers"

	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := Parse("serve", nil, env(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, got, want string }{
		{"Addr", c.Addr, ":8080"},
		{"DataDir", c.DataDir, "data"},
		{"BaseURL", c.BaseURL, "http://localhost:8080"},
		{"TimeZone", c.TimeZone, "Asia/Seoul"},
		{"LogFormat", c.LogFormat, "text"},
		{"LogLevel", c.LogLevel, "info"},
		{"SQLitePath", c.SQLitePath(), filepath.Join("data", "byline.db")},
		{"MediaDir", c.MediaDir(), filepath.Join("data", "media")},
	} {
		if tc.got != tc.want {
			t.Errorf("%s = %q, want %q", tc.name, tc.got, tc.want)
		}
	}
	if c.Location == nil || c.Location.String() != "Asia/Seoul" {
		t.Errorf("Location = %v", c.Location)
	}
	if c.CacheMB != 256 || c.Shutdown != 15*time.Second || c.MaxBodyBytes != 1<<20 || c.Demo || c.DevLogin || c.SearchUpkeep != time.Hour {
		t.Errorf("CacheMB %d, Shutdown %s, MaxBodyBytes %d, Demo %v, DevLogin %v, SearchUpkeep %s", c.CacheMB, c.Shutdown, c.MaxBodyBytes, c.Demo, c.DevLogin, c.SearchUpkeep)
	}
}

func TestEnvironmentAndFlags(t *testing.T) {
	e := env(map[string]string{
		"BYLINE_ADDR": "127.0.0.1:9000", "BYLINE_DATA": "/srv/byline/", "BYLINE_BASE_URL": "https://news.example.com/",
		"BYLINE_TIMEZONE": "UTC", "BYLINE_DEMO": "true", "BYLINE_CACHE_MB": "64", "BYLINE_SHUTDOWN_TIMEOUT": "3s",
		"BYLINE_DATABASE": "sqlite:/tmp/x.db",
	})
	c, err := Parse("serve", []string{"--addr", "127.0.0.1:9001", "--demo=false"}, e, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9001" {
		t.Errorf("Addr = %q: the flag must beat BYLINE_ADDR", c.Addr)
	}
	if c.Demo {
		t.Error("--demo=false did not beat BYLINE_DEMO=true")
	}
	if c.DataDir != "/srv/byline" || c.BaseURL != "https://news.example.com" {
		t.Errorf("DataDir %q, BaseURL %q: want cleaned values", c.DataDir, c.BaseURL)
	}
	if c.CacheMB != 64 || c.Shutdown != 3*time.Second || c.Location != time.UTC {
		t.Errorf("CacheMB %d, Shutdown %s, Location %v", c.CacheMB, c.Shutdown, c.Location)
	}
	if c.SQLitePath() != "/tmp/x.db" {
		t.Errorf("SQLitePath = %q", c.SQLitePath())
	}
	for _, in := range []string{"bylinedaily", "@bylinedaily", " @bylinedaily "} {
		c, err := Parse("serve", []string{"--x-account", in}, env(nil), nil)
		if err != nil || c.XAccount != "@bylinedaily" {
			t.Errorf("--x-account %q: XAccount %q, err %v; want @bylinedaily", in, c.XAccount, err)
		}
	}
	for in, want := range map[string]string{"https://cdn.example.com/paper/": "https://cdn.example.com/paper", "/static/media": "/static/media"} {
		c, err := Parse("serve", nil, env(map[string]string{"BYLINE_MEDIA_URL": in}), nil)
		if err != nil || c.MediaURL != want {
			t.Errorf("BYLINE_MEDIA_URL=%s: MediaURL %q, err %v; want %q", in, c.MediaURL, err, want)
		}
	}
	c, err = Parse("serve", []string{"--demo"}, env(nil), nil)
	if err != nil || !c.Demo {
		t.Errorf("--demo alone: Demo %v, err %v", c != nil && c.Demo, err)
	}
}

func TestRefusals(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"addr", nil, []string{"--addr", "nonsense"}, "--addr"},
		{"addr env", map[string]string{"BYLINE_ADDR": "8080"}, nil, "--addr"},
		{"empty data", nil, []string{"--data", " "}, "--data"},
		{"ftp base", nil, []string{"--base-url", "ftp://x"}, "--base-url"},
		{"base without host", nil, []string{"--base-url", "http://"}, "--base-url"},
		{"base with query", nil, []string{"--base-url", "https://x.example/?a=b"}, "--base-url"},
		{"base with fragment", nil, []string{"--base-url", "https://x.example/#top"}, "--base-url"},
		{"database", nil, []string{"--database", "mysql://x"}, "--database"},
		{"site name", nil, []string{"--site-name", ""}, "--site-name"},
		{"x account", nil, []string{"--x-account", "https://x.com/paper"}, "--x-account"},
		{"x account too long", nil, []string{"--x-account", "@a_very_long_name_1"}, "--x-account"},
		{"x account empty handle", nil, []string{"--x-account", "@"}, "--x-account"},
		{"timezone", nil, []string{"--timezone", "Mars/Base"}, "Mars/Base"},
		{"log format", nil, []string{"--log-format", "yaml"}, "--log-format"},
		{"log level", nil, []string{"--log-level", "verbose"}, "--log-level"},
		{"demo", nil, []string{"--demo=perhaps"}, "perhaps"},
		{"demo env", map[string]string{"BYLINE_DEMO": "perhaps"}, nil, "BYLINE_DEMO"},
		{"cache", nil, []string{"--cache-mb", "1e9"}, "size in MB"},
		{"cache env", map[string]string{"BYLINE_CACHE_MB": "-1"}, nil, "BYLINE_CACHE_MB"},
		{"shutdown", nil, []string{"--shutdown-timeout", "-1s"}, "duration"},
		{"search upkeep", nil, []string{"--search-upkeep", "hourly"}, "hourly"},
		{"search upkeep negative", nil, []string{"--search-upkeep", "-1h"}, "duration"},
		{"search upkeep too often", map[string]string{"BYLINE_SEARCH_UPKEEP": "10ms"}, nil, "at least 1s"},
		{"unknown flag", nil, []string{"--port", "80"}, "port"},
		{"stray argument", nil, []string{"now"}, `unexpected argument "now"`},
		{"dev login public", nil, []string{"--dev-login", "--base-url", "https://news.example.com"}, "--dev-login"},
		{"media url http", nil, []string{"--media-url", "http://cdn.example.com/media"}, "https only"},
		{"media url scheme", nil, []string{"--media-url", "ftp://cdn.example.com"}, "--media-url"},
		{"media url query", nil, []string{"--media-url", "https://cdn.example.com/m?x=1"}, "--media-url"},
		{"media url protocol-relative", nil, []string{"--media-url", "//cdn.example.com/m"}, "--media-url"},
		{"media url relative", nil, []string{"--media-url", "media"}, "--media-url"},
		{"media url quote", map[string]string{"BYLINE_MEDIA_URL": `https://cdn.example.com/"a`}, nil, "--media-url"},
		{"smtp addr", nil, []string{"--smtp-addr", "smtp.example.com", "--smtp-from", "a@example.com"}, "--smtp-addr"},
		{"smtp without from", nil, []string{"--smtp-addr", "smtp.example.com:587"}, "--smtp-from"},
		{"smtp bad from", nil, []string{"--smtp-addr", "smtp.example.com:587", "--smtp-from", "news"}, "--smtp-from"},
		{"smtp from without addr", nil, []string{"--smtp-from", "a@example.com"}, "--smtp-addr"},
		{"smtp user without password", nil, []string{"--smtp-addr", "smtp.example.com:587", "--smtp-from", "a@example.com", "--smtp-user", "u"}, "password"},
		{"smtp password without user", map[string]string{"BYLINE_SMTP_PASSWORD": "p"}, []string{"--smtp-addr", "smtp.example.com:587", "--smtp-from", "a@example.com"}, "password"},
		{"smtp password twice", map[string]string{"BYLINE_SMTP_PASSWORD": "p"}, []string{"--smtp-addr", "smtp.example.com:587", "--smtp-from", "a@example.com", "--smtp-user", "u", "--smtp-password-file", "/etc/hostname"}, "not both"},
		{"smtp password file missing", nil, []string{"--smtp-addr", "smtp.example.com:587", "--smtp-from", "a@example.com", "--smtp-user", "u", "--smtp-password-file", "/nonexistent/pw"}, "--smtp-password-file"},
		{"smtp password flag", nil, []string{"--smtp-password", "p"}, "smtp-password"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("serve", tc.args, env(tc.env), nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one naming %q", err, tc.want)
			}
		})
	}
	// Dev login is fine on a local or plain-http site.
	for _, base := range []string{"http://news.example.com", "https://localhost:8443", "https://app.localhost", "https://127.0.0.1"} {
		if _, err := Parse("serve", []string{"--dev-login", "--base-url", base}, env(nil), nil); err != nil {
			t.Errorf("--dev-login with %s: %v", base, err)
		}
	}
}

// TestSMTP: the mail settings from flags, the environment and a
// password file.
func TestSMTP(t *testing.T) {
	c, err := Parse("serve", []string{"--smtp-addr", "smtp.example.com:587", "--smtp-from", "The Byline Daily <news@example.com>", "--smtp-user", "desk"},
		env(map[string]string{"BYLINE_SMTP_PASSWORD": "s3cret"}), nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := (SMTP{Addr: "smtp.example.com:587", From: "The Byline Daily <news@example.com>", User: "desk", Password: "s3cret"}); c.SMTP != want {
		t.Errorf("SMTP = %+v, want %+v", c.SMTP, want)
	}
	pw := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(pw, []byte("from-file\n"), 0o600)
	c, err = Parse("serve", nil, env(map[string]string{"BYLINE_SMTP_ADDR": "127.0.0.1:25", "BYLINE_SMTP_FROM": "news@example.com",
		"BYLINE_SMTP_USER": "desk", "BYLINE_SMTP_PASSWORD_FILE": pw}), nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.SMTP.Password != "from-file" {
		t.Errorf("password from file = %q, want from-file", c.SMTP.Password)
	}
	if c, err := Parse("serve", nil, env(nil), nil); err != nil || c.SMTP != (SMTP{}) {
		t.Errorf("default SMTP = %+v (%v), want off", c.SMTP, err)
	}
}

func TestHelp(t *testing.T) {
	var usage string
	_, err := Parse("serve", []string{"-h"}, env(nil), func(fs *flag.FlagSet) { usage = Usage(fs) })
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("err = %v, want flag.ErrHelp", err)
	}
	// Every setting is listed with its variable and default.
	c := &Config{}
	for _, s := range c.settings() {
		if !strings.Contains(usage, "--"+s.flag+"\n") || !strings.Contains(usage, "env "+s.env) {
			t.Errorf("usage lacks --%s / %s", s.flag, s.env)
		}
		if !strings.HasPrefix(s.env, "BYLINE_") {
			t.Errorf("variable %s of --%s does not start with BYLINE_", s.env, s.flag)
		}
	}
}

func TestDevLoginDefaultsToLoopback(t *testing.T) {
	env := func(string) string { return "" }
	c, err := Parse("serve", []string{"--dev-login"}, env, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.BaseURL != "http://127.0.0.1:8080" || len(c.Notes) != 1 {
		t.Errorf("serve --dev-login: addr %q, base URL %q, notes %q; want loopback 127.0.0.1:8080 and a note", c.Addr, c.BaseURL, c.Notes)
	}
	if _, err := Parse("serve", []string{"--dev-login"}, func(k string) string {
		if k == "BYLINE_ADDR" {
			return ":9000"
		}
		return ""
	}, nil); err == nil || !strings.Contains(err.Error(), "--dev-login-on-network") {
		t.Errorf("BYLINE_ADDR=:9000 with --dev-login: err %v, want a refusal", err)
	}
	c, err = Parse("serve", []string{"--addr", ":9000"}, env, nil)
	if err != nil || c.BaseURL != "http://localhost:9000" || !c.BaseURLDerived {
		t.Errorf("--addr :9000: base URL %q (derived %v, err %v), want http://localhost:9000", c.BaseURL, c.BaseURLDerived, err)
	}
	c, err = Parse("serve", []string{"--addr", ":9000", "--base-url", "https://news.example.com/"}, env, nil)
	if err != nil || c.BaseURL != "https://news.example.com" || c.BaseURLDerived {
		t.Errorf("explicit base URL: %q (derived %v, err %v)", c.BaseURL, c.BaseURLDerived, err)
	}
}

// TestSocialFlagsFromCatalogue: every provider of the catalogue gets its
// flags and variables without a line here (adding a provider is one
// entry in internal/readerauth/providers), and a flag beats its variable.
func TestSocialFlagsFromCatalogue(t *testing.T) {
	env := map[string]string{}
	var args []string
	for _, p := range providers.All {
		up := strings.ToUpper(p.Name)
		env["BYLINE_"+up+"_CLIENT_ID"] = "env-id-" + p.Name
		env["BYLINE_"+up+"_CLIENT_SECRET"] = "env-secret-" + p.Name
		args = append(args, "--"+p.Name+"-client-secret", "flag-secret-"+p.Name)
	}
	c, err := Parse("serve", args, func(k string) string { return env[k] }, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range providers.All {
		sc := c.Social.Clients[p.Name]
		if sc == nil {
			t.Errorf("%s: no settings", p.Name)
			continue
		}
		if sc.ID != "env-id-"+p.Name || sc.Secret != "flag-secret-"+p.Name {
			t.Errorf("%s: id %q secret %q, want the variable's id and the flag's secret", p.Name, sc.ID, sc.Secret)
		}
		if p.Versioned && sc.APIVersion != p.DefaultVersion {
			t.Errorf("%s: API version %q, want the default %q", p.Name, sc.APIVersion, p.DefaultVersion)
		}
	}
	if _, err := Parse("serve", []string{"--facebook-api-version", "24"}, func(string) string { return "" }, nil); err == nil {
		t.Error("--facebook-api-version 24 was accepted, want a refusal (not a version such as v24.0)")
	}
	if _, err := Parse("serve", []string{"--myspace-client-id", "x"}, func(string) string { return "" }, nil); err == nil {
		t.Error("a flag of a provider not in the catalogue was accepted")
	}
}
