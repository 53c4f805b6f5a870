package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/signal"
	"syscall"
	"time"

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
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()

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
			if err := demo.Load(ctx, st, demo.Options{MediaDir: cfg.MediaDir()}); err != nil {
				return fmt.Errorf("load demo paper: %w", err)
			}
			logger.Info("loaded the demo paper", "duration", time.Since(start).Round(time.Millisecond))
		} else {
			logger.Info("the database has articles; --demo loads nothing", "articles", n)
		}
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
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          nil,
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	addr := ln.Addr().String()
	logger.Info("serving", "site", cfg.SiteName, "addr", addr, "base_url", cfg.BaseURL, "data", cfg.DataDir)
	fmt.Fprintf(env.Stdout, "Byline is serving %q on http://%s/ (press Ctrl+C to stop)\n", cfg.SiteName, displayAddr(addr))
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
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
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
