package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"byline/internal/config"
	"byline/internal/demo"
	"byline/internal/server"
)

func serve(ctx context.Context, env Env, args []string) error {
	cfg, err := parseConfig("serve", env, args, nil)
	if err != nil {
		return err
	}
	logOut := newBufferedLog(env.Stderr)
	defer logOut.Close()
	logger := newLogger(cfg, logOut)
	if cfg.DevLogin {
		logger.Warn("DEV LOGIN IS ON: anyone can sign in as any reader. Never use --dev-login on a public site.")
	}
	for _, n := range cfg.Notes {
		logger.Warn(n)
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	// One serve per SQLite data directory: a second one is refused
	// before it touches the database (two would each count rate limits
	// in memory and both run the scheduler and the indexer).
	lock, err := lockDataDir(cfg)
	if err != nil {
		return err
	}
	defer lock.Close()
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	if cfg.Demo {
		n, err := st.CountArticles(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			start := time.Now()
			if err := demo.Load(ctx, st, demo.Options{MediaDir: cfg.MediaDir(), Monitor: true}); err != nil {
				return fmt.Errorf("load demo paper: %w", err)
			}
			if err := publishDemoMedia(ctx, cfg); err != nil {
				return fmt.Errorf("load demo paper: %w", err)
			}
			logger.Info("loaded the demo paper", "duration", time.Since(start).Round(time.Millisecond))
		} else {
			logger.Info("the database has articles; --demo loads nothing", "articles", n)
		}
	}
	// Listen before building the server so that a derived base URL names
	// the port actually bound (--addr 127.0.0.1:0 in tests).
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	defer ln.Close()
	addr := ln.Addr().String()
	if cfg.BaseURLDerived {
		cfg.BaseURL = config.BaseURLFor(addr)
	}
	srv, err := server.New(ctx, server.Deps{Config: cfg, Store: st, Logger: logger})
	if err != nil {
		return err
	}
	defer srv.Close()
	if cfg.MetricsAddr != "" {
		stopMetrics, err := serveMetrics(cfg.MetricsAddr, srv.MetricsHandler(), logger)
		if err != nil {
			return err
		}
		defer stopMetrics()
	}
	var conns connCounter
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		// net/http's own messages (TLS handshakes, panics) go through
		// the configured logger too, not Go's default one.
		ErrorLog:  slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		ConnState: conns.track,
	}
	// Live story streams never go idle: Shutdown ends them first.
	hs.RegisterOnShutdown(srv.StopStreams)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	logger.Info("serving", "site", cfg.SiteName, "addr", addr, "base_url", cfg.BaseURL, "data", cfg.DataDir)
	fmt.Fprintf(env.Stdout, "Byline is serving %q on http://%s/ (press Ctrl+C to stop)\n", cfg.SiteName, displayAddr(addr))
	fmt.Fprintf(env.Stdout, "Open %s/ in your browser.\n", cfg.BaseURL)
	if env.Ready != nil {
		env.Ready(addr)
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down", "grace", cfg.Shutdown)
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.Shutdown)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		// The grace period is over and some clients are still busy (a
		// stuck upload, a slow reader): cut them. Stopping on request is
		// not a failure, so the exit status stays 0.
		n := conns.open()
		hs.Close()
		logger.Warn("shutdown grace period over; cut the connections still open", "connections", n, "grace", cfg.Shutdown)
	}
	return nil
}

// connCounter counts the server's open connections (for the shutdown log).
type connCounter struct {
	mu sync.Mutex
	m  map[net.Conn]bool
}

func (c *connCounter) track(conn net.Conn, s http.ConnState) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[net.Conn]bool{}
	}
	switch s {
	case http.StateClosed, http.StateHijacked:
		delete(c.m, conn)
	default:
		c.m[conn] = true
	}
}

func (c *connCounter) open() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

// displayAddr turns ":8080" or "[::]:8080" into a clickable localhost one.
func displayAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
