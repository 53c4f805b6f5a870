// Package config is Byline's one typed configuration: every setting's
// flag, BYLINE_* environment variable, default and check are declared
// together here.
package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"byline/internal/readerauth/providers"
)

// Config is everything a Byline server needs to know at start-up.
type Config struct {
	Addr      string
	DataDir   string
	Database  string // empty: SQLite file in DataDir; postgres://… for PostgreSQL
	BaseURL   string
	SiteName  string
	Tagline   string
	XAccount  string // the paper's X account, "@name", or empty
	TimeZone  string
	Location  *time.Location
	ThemeDir  string
	LogFormat string // text or json
	LogLevel  string
	Demo      bool
	DevLogin  bool
	// DevLoginOnNetwork lets --dev-login listen on a non-loopback address.
	DevLoginOnNetwork bool
	// BaseURLDerived is true when --base-url was not given and BaseURL
	// was derived from the listen address (serve derives it again from
	// the address it actually got).
	BaseURLDerived bool
	// Notes are start-up remarks for the log (a default changed for safety).
	Notes []string
	// addrSet is true when --addr or BYLINE_ADDR was given.
	addrSet      bool
	CacheMB      int
	MaxBodyBytes int64
	// WebhooksAllowPrivate lets webhooks reach private and loopback addresses.
	WebhooksAllowPrivate bool
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the reader's address (for rate limits and login throttling).
	TrustedProxies []netip.Prefix
	// Shutdown is how long in-flight requests get on SIGTERM.
	Shutdown time.Duration
	// SearchUpkeep is how often the server asks whether search drifted
	// from the archive (news.Store.SearchUpkeep); 0: never.
	SearchUpkeep time.Duration
	// Social sign-in for comments: each provider is on when both its
	// client id and secret are set.
	Social SocialLogin
	// MetricsAddr, when set, is a separate listener serving Prometheus
	// metrics at /metrics (keep it private: 127.0.0.1:9090).
	MetricsAddr string
	// MediaStore is where media files live: empty for DataDir/media, or
	// s3://BUCKET/PREFIX for S3-compatible object storage reached with S3.
	MediaStore string
	S3         S3
	// MediaURL is where readers' browsers fetch media files: a CDN or a
	// public bucket (https://HOST/PATH) or a path on this host; reader
	// pages point images there instead of /media/. Empty: /media/, served
	// by Byline. No trailing slash.
	MediaURL string
	// SMTP is the mail server for notices to commenters; mail is off
	// when SMTP.Addr is empty.
	SMTP SMTP
}

// SMTP reaches the SMTP submission server (mail.Config has the same
// fields). Password comes from BYLINE_SMTP_PASSWORD or the file named by
// --smtp-password-file, never from a flag others can see.
type SMTP struct {
	Addr         string
	From         string
	User         string
	Password     string
	PasswordFile string
}

// S3 reaches S3-compatible object storage (media.S3Options has the same
// fields). Empty keys mean the standard AWS credential chain.
type S3 struct {
	Endpoint  string
	Region    string
	PathStyle bool
	AccessKey string
	SecretKey string
}

var apiVersion = regexp.MustCompile(`^v[1-9][0-9]?\.[0-9]$`)

// setting declares one configuration item.
type setting struct {
	flag, env, def, usage string
	set                   func(string) error
	isBool                bool
}

func (c *Config) settings() []setting {
	str := func(p *string) func(string) error { return func(v string) error { *p = v; return nil } }
	boolean := func(p *bool) func(string) error {
		return func(v string) error {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return fmt.Errorf("%q is not true or false", v)
			}
			*p = b
			return nil
		}
	}
	all := []setting{
		{"addr", "BYLINE_ADDR", ":8080", "address to listen on (host:port)", str(&c.Addr), false},
		{"data", "BYLINE_DATA", "./data", "data directory: database, media and backups live here", str(&c.DataDir), false},
		{"database", "BYLINE_DATABASE", "", "database URL; empty uses SQLite in the data directory, postgres://… uses PostgreSQL", str(&c.Database), false},
		{"metrics-addr", "BYLINE_METRICS_ADDR", "", "serve Prometheus metrics at /metrics on this separate, private address (e.g. 127.0.0.1:9090); empty: off", str(&c.MetricsAddr), false},
		{"base-url", "BYLINE_BASE_URL", "", "public URL of the site, used in feeds, sitemaps and links; empty: derived from --addr (http://localhost:PORT)", str(&c.BaseURL), false},
		{"site-name", "BYLINE_SITE_NAME", "The Byline Daily", "name of the publication", str(&c.SiteName), false},
		{"tagline", "BYLINE_TAGLINE", "News from Korea and the world, in English", "one-line description of the publication", str(&c.Tagline), false},
		{"x-account", "BYLINE_X_ACCOUNT", "", "the paper's X (Twitter) account, @name, named in social cards (twitter:site); empty: none", str(&c.XAccount), false},
		{"timezone", "BYLINE_TIMEZONE", "Asia/Seoul", "IANA time zone that dates are shown in", str(&c.TimeZone), false},
		{"theme", "BYLINE_THEME", "", "directory whose templates/ and assets/ override the built-in ones", str(&c.ThemeDir), false},
		{"log-format", "BYLINE_LOG_FORMAT", "text", "log format: text or json", str(&c.LogFormat), false},
		{"log-level", "BYLINE_LOG_LEVEL", "info", "log level: debug, info, warn or error", str(&c.LogLevel), false},
		{"demo", "BYLINE_DEMO", "false", "load the demo paper into an empty database", boolean(&c.Demo), true},
		{"webhooks-allow-private", "BYLINE_WEBHOOKS_ALLOW_PRIVATE", "false", "let webhook endpoints be on loopback, private or link-local addresses (intranet receivers; off so the newsroom cannot probe the internal network)", boolean(&c.WebhooksAllowPrivate), true},
		{"trusted-proxies", "BYLINE_TRUSTED_PROXIES", "", "comma-separated addresses or CIDR ranges of reverse proxies (nginx, a load balancer) whose X-Forwarded-For header is believed", func(v string) error {
			c.TrustedProxies = nil
			for _, part := range strings.Split(v, ",") {
				if part = strings.TrimSpace(part); part == "" {
					continue
				}
				if !strings.Contains(part, "/") {
					a, err := netip.ParseAddr(part)
					if err != nil {
						return fmt.Errorf("%q is not an address or CIDR range", part)
					}
					part = netip.PrefixFrom(a, a.BitLen()).String()
				}
				p, err := netip.ParsePrefix(part)
				if err != nil {
					return fmt.Errorf("%q is not an address or CIDR range", part)
				}
				c.TrustedProxies = append(c.TrustedProxies, p.Masked())
			}
			return nil
		}, false},
		{"media-store", "BYLINE_MEDIA_STORE", "", "where uploaded images live: empty for the media directory in --data, or s3://BUCKET/PREFIX for S3-compatible object storage shared by several servers (docs/scaling.md)", str(&c.MediaStore), false},
		{"media-url", "BYLINE_MEDIA_URL", "", "public address of the media files for reader pages, e.g. a CDN or public bucket (https://cdn.example.com/media) or a path proxied elsewhere: images point there instead of /media/; empty: Byline serves /media/ itself", str(&c.MediaURL), false},
		{"s3-endpoint", "BYLINE_S3_ENDPOINT", "", "S3 endpoint URL for --media-store s3://… (e.g. https://s3.eu-central-1.amazonaws.com, http://127.0.0.1:7070); empty: AWS", str(&c.S3.Endpoint), false},
		{"s3-region", "BYLINE_S3_REGION", "", "S3 region; empty: asked of the endpoint", str(&c.S3.Region), false},
		{"s3-path-style", "BYLINE_S3_PATH_STYLE", "false", "address the bucket as ENDPOINT/BUCKET rather than BUCKET.ENDPOINT (most self-hosted S3 servers)", boolean(&c.S3.PathStyle), true},
		{"s3-access-key", "BYLINE_S3_ACCESS_KEY", "", "S3 access key id; empty: the AWS credential chain (AWS_ACCESS_KEY_ID, ~/.aws/credentials, instance role)", str(&c.S3.AccessKey), false},
		{"s3-secret-key", "BYLINE_S3_SECRET_KEY", "", "S3 secret key (prefer the environment variable to the flag, which other users can see)", str(&c.S3.SecretKey), false},
		{"smtp-addr", "BYLINE_SMTP_ADDR", "", "SMTP submission server (host:port, e.g. smtp.example.com:587) for e-mail notices to commenters; STARTTLS is used when the server offers it; empty: no e-mail", str(&c.SMTP.Addr), false},
		{"smtp-from", "BYLINE_SMTP_FROM", "", "sender of e-mail notices, an address or \"Name <address>\" (needed with --smtp-addr)", str(&c.SMTP.From), false},
		{"smtp-user", "BYLINE_SMTP_USER", "", "SMTP user for AUTH PLAIN (sent only over TLS, or to localhost); the password comes from BYLINE_SMTP_PASSWORD or --smtp-password-file", str(&c.SMTP.User), false},
		{"smtp-password-file", "BYLINE_SMTP_PASSWORD_FILE", "", "file holding the SMTP password (a Docker or systemd secret); the alternative is the BYLINE_SMTP_PASSWORD variable", str(&c.SMTP.PasswordFile), false},
		{"dev-login", "BYLINE_DEV_LOGIN", "false", "add a local sign-in provider for trying comments without real social accounts (never in production); listens on loopback only", boolean(&c.DevLogin), true},
		{"dev-login-on-network", "BYLINE_DEV_LOGIN_ON_NETWORK", "false", "let --dev-login listen on a non-loopback --addr, where anyone who reaches the server can sign in as anyone", boolean(&c.DevLoginOnNetwork), true},
		{"cache-mb", "BYLINE_CACHE_MB", "256", "memory for the page cache, in MB", func(v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > 1<<16 {
				return fmt.Errorf("%q is not a size in MB", v)
			}
			c.CacheMB = n
			return nil
		}, false},
		{"shutdown-timeout", "BYLINE_SHUTDOWN_TIMEOUT", "15s", "how long running requests may finish on shutdown", func(v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 {
				return fmt.Errorf("%q is not a duration such as 15s", v)
			}
			c.Shutdown = d
			return nil
		}, false},
		{"search-upkeep", "BYLINE_SEARCH_UPKEEP", "1h", "how often to check whether search drifted from the archive and rebuild what it reads (PostgreSQL; docs/search.md); 0: never", func(v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 || (d > 0 && d < time.Second) {
				return fmt.Errorf("%q is not a duration such as 1h (0 for never, else at least 1s)", v)
			}
			c.SearchUpkeep = d
			return nil
		}, false},
	}
	return append(all, c.socialSettings(str)...)
}

// Parse reads flags from args, falling back to environment variables and
// then to defaults, and validates the result.
func Parse(name string, args []string, getenv func(string) string, usage func(fs *flag.FlagSet)) (*Config, error) {
	c := &Config{MaxBodyBytes: 1 << 20}
	// A secret has no flag: the environment only (or a file).
	c.SMTP.Password = getenv("BYLINE_SMTP_PASSWORD")
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(new(strings.Builder))
	for _, s := range c.settings() {
		def := s.def
		if v := getenv(s.env); v != "" {
			def = v
		}
		if err := s.set(def); err != nil {
			return nil, fmt.Errorf("%s: %w", s.env, err)
		}
		help := s.usage + " (env " + s.env + ", default " + quoteDefault(s.def) + ")"
		if s.isBool {
			fs.BoolFunc(s.flag, help, s.set)
		} else {
			fs.Func(s.flag, help, s.set)
		}
	}
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			if usage != nil {
				usage(fs)
			}
			return nil, err
		}
		return nil, fmt.Errorf("%w (see 'byline %s -h')", err, name)
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q (see 'byline %s -h')", fs.Arg(0), name)
	}
	c.addrSet = getenv("BYLINE_ADDR") != ""
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "addr" {
			c.addrSet = true
		}
	})
	return c, c.Validate()
}

func quoteDefault(s string) string {
	if s == "" {
		return `""`
	}
	return s
}

// Usage writes the flags of a command with their variables and defaults.
func Usage(fs *flag.FlagSet) string {
	var b strings.Builder
	fs.VisitAll(func(f *flag.Flag) { fmt.Fprintf(&b, "  --%s\n\t%s\n", f.Name, f.Usage) })
	return b.String()
}

// Validate checks every setting and derives Location.
func (c *Config) Validate() error {
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return fmt.Errorf("--addr %q is not host:port: %w", c.Addr, err)
	}
	if strings.TrimSpace(c.DataDir) == "" {
		return errors.New("--data must name a directory")
	}
	c.DataDir = filepath.Clean(c.DataDir)
	host, port, _ := net.SplitHostPort(c.Addr)
	if c.DevLogin && !isLocalHost(host) {
		switch {
		case c.DevLoginOnNetwork:
			c.Notes = append(c.Notes, "--dev-login-on-network: the dev sign-in is reachable from the network at "+c.Addr)
		case !c.addrSet:
			// The first command people type (serve --demo --dev-login)
			// must not hand "sign in as anyone" to the whole network.
			c.Addr = net.JoinHostPort("127.0.0.1", port)
			c.Notes = append(c.Notes, "--dev-login: listening on loopback only ("+c.Addr+"); add --dev-login-on-network to listen on every interface")
		default:
			return fmt.Errorf("--dev-login lets anyone who reaches the server sign in as anyone, so it listens only on loopback; --addr %q is reachable from the network (use 127.0.0.1:%s, or add --dev-login-on-network if you really mean it)", c.Addr, port)
		}
	}
	if strings.TrimSpace(c.BaseURL) == "" {
		c.BaseURL, c.BaseURLDerived = BaseURLFor(c.Addr), true
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("--base-url %q must be an absolute http(s) URL such as https://news.example.com", c.BaseURL)
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.Database != "" && !strings.HasPrefix(c.Database, "postgres://") && !strings.HasPrefix(c.Database, "postgresql://") && !strings.HasPrefix(c.Database, "sqlite:") {
		return fmt.Errorf("--database %q: use postgres://… or sqlite:PATH (or leave it empty for SQLite in the data directory)", c.Database)
	}
	if strings.TrimSpace(c.SiteName) == "" {
		return errors.New("--site-name must not be empty")
	}
	if c.XAccount != "" {
		name := strings.TrimPrefix(strings.TrimSpace(c.XAccount), "@")
		if !xAccountRe.MatchString(name) {
			return fmt.Errorf("--x-account %q: give the account as @name (1 to 15 letters, digits or _)", c.XAccount)
		}
		c.XAccount = "@" + name
	}
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return fmt.Errorf("--timezone %q is not a known time zone", c.TimeZone)
	}
	c.Location = loc
	switch c.LogFormat {
	case "text", "json":
	default:
		return fmt.Errorf("--log-format %q must be text or json", c.LogFormat)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("--log-level %q must be debug, info, warn or error", c.LogLevel)
	}
	if c.MediaStore != "" {
		rest, isS3 := strings.CutPrefix(c.MediaStore, "s3://")
		if !isS3 {
			return fmt.Errorf("--media-store %q: use s3://BUCKET/PREFIX, or leave it empty for the media directory", c.MediaStore)
		}
		if b, _, _ := strings.Cut(rest, "/"); b == "" {
			return fmt.Errorf("--media-store %q names no bucket: use s3://BUCKET/PREFIX", c.MediaStore)
		}
	}
	if c.MediaURL != "" {
		mu, err := url.Parse(c.MediaURL)
		switch {
		case err != nil || mu.RawQuery != "" || mu.Fragment != "" || mu.User != nil || strings.ContainsAny(c.MediaURL, " \"'<>"):
			return fmt.Errorf("--media-url %q: write https://HOST/PATH or /PATH", c.MediaURL)
		case mu.Scheme == "https" && mu.Host != "":
		case mu.Scheme == "" && mu.Host == "" && strings.HasPrefix(mu.Path, "/") && !strings.HasPrefix(mu.Path, "//"):
		default:
			return fmt.Errorf("--media-url %q: write https://HOST/PATH (pages load images from https only) or a path /PATH", c.MediaURL)
		}
		c.MediaURL = strings.TrimRight(c.MediaURL, "/")
	}
	if (c.S3.AccessKey == "") != (c.S3.SecretKey == "") {
		return errors.New("set both --s3-access-key and --s3-secret-key, or neither (to use the AWS credential chain)")
	}
	if err := c.SMTP.validate(); err != nil {
		return err
	}
	if c.DevLogin && u.Scheme == "https" && !isLocalHost(u.Hostname()) {
		return fmt.Errorf("--dev-login lets anyone sign in as anyone; it is refused with a public --base-url (%s)", c.BaseURL)
	}
	return nil
}

func (s *SMTP) validate() error {
	if s.PasswordFile != "" {
		if s.Password != "" {
			return errors.New("set the SMTP password once: BYLINE_SMTP_PASSWORD or --smtp-password-file, not both")
		}
		b, err := os.ReadFile(s.PasswordFile)
		if err != nil {
			return fmt.Errorf("--smtp-password-file: %w", err)
		}
		s.Password = strings.TrimRight(string(b), "\r\n")
	}
	if s.Addr == "" {
		if s.From != "" || s.User != "" || s.Password != "" {
			return errors.New("--smtp-from, --smtp-user and the SMTP password need --smtp-addr (the mail server)")
		}
		return nil
	}
	if h, p, err := net.SplitHostPort(s.Addr); err != nil || h == "" || p == "" {
		return fmt.Errorf("--smtp-addr %q is not host:port (e.g. smtp.example.com:587)", s.Addr)
	}
	a, err := mail.ParseAddress(s.From)
	if s.From == "" || err != nil || strings.ContainsAny(a.Address, "\r\n") {
		return fmt.Errorf("--smtp-from %q: give the sender, news@example.com or \"The Byline Daily <news@example.com>\"", s.From)
	}
	if (s.User == "") != (s.Password == "") {
		return errors.New("set both --smtp-user and the SMTP password (BYLINE_SMTP_PASSWORD or --smtp-password-file), or neither")
	}
	return nil
}

// BaseURLFor is the URL a browser on this machine opens for a server
// listening on addr: an unspecified host (":8080", "[::]:8080") becomes
// localhost.
func BaseURLFor(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

func isLocalHost(h string) bool {
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// SocialLogin holds the reader sign-in providers' credentials.
type SocialLogin struct {
	// Clients holds each provider's credentials by the provider's name
	// (providers.All); a provider is on when both are set.
	Clients map[string]*SocialClient
}

// SocialClient is one provider's settings.
type SocialClient struct {
	ID, Secret string
	// Issuer and Name: an operator-chosen OpenID Connect provider's
	// issuer URL and button label (providers.Spec.IssuerFlag).
	Issuer, Name string
	// APIVersion: for providers whose endpoints carry one
	// (providers.Spec.Versioned, Facebook's Graph API).
	APIVersion string
}

// socialSettings are the flags of every sign-in provider in the
// catalogue: --NAME-client-id and --NAME-client-secret, and the issuer,
// label or API version of the providers that need them.
func (c *Config) socialSettings(str func(*string) func(string) error) []setting {
	if c.Social.Clients == nil {
		c.Social.Clients = map[string]*SocialClient{}
	}
	var out []setting
	for _, p := range providers.All {
		sc := c.Social.Clients[p.Name]
		if sc == nil {
			sc = &SocialClient{}
			c.Social.Clients[p.Name] = sc
		}
		flag, env := p.Name, "BYLINE_"+strings.ToUpper(p.Name)
		out = append(out,
			setting{flag + "-client-id", env + "_CLIENT_ID", "", p.Label + " OAuth client id for reader sign-in (docs/comments.md)", str(&sc.ID), false},
			setting{flag + "-client-secret", env + "_CLIENT_SECRET", "", p.Label + " OAuth client secret", str(&sc.Secret), false})
		if p.Versioned {
			out = append(out, setting{flag + "-api-version", env + "_API_VERSION", p.DefaultVersion, p.Label + " API version in the sign-in endpoints; providers retire old versions", func(v string) error {
				if !apiVersion.MatchString(v) {
					return fmt.Errorf("%q is not an API version such as %s", v, p.DefaultVersion)
				}
				sc.APIVersion = v
				return nil
			}, false})
		}
		if p.IssuerFlag {
			out = append(out,
				setting{flag + "-issuer", env + "_ISSUER", "", "issuer URL of any OpenID Connect provider for reader sign-in", str(&sc.Issuer), false},
				setting{flag + "-name", env + "_NAME", "", "button label for the OpenID Connect provider", str(&sc.Name), false})
		}
	}
	return out
}

// SQLitePath is the database file when SQLite is used.
func (c *Config) SQLitePath() string {
	if p, ok := strings.CutPrefix(c.Database, "sqlite:"); ok {
		return p
	}
	return filepath.Join(c.DataDir, "byline.db")
}

// MediaDir is where uploaded files are kept.
func (c *Config) MediaDir() string { return filepath.Join(c.DataDir, "media") }

// xAccountRe is what X allows in an account name.
var xAccountRe = regexp.MustCompile(`^[A-Za-z0-9_]{1,15}$`)
