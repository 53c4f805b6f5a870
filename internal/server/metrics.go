package server

import (
	"context"
	"database/sql"
	"net/http"
	"strconv"
	"sync"
	"time"

	"byline/internal/comments"
	"byline/internal/news"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus metrics, in a registry of its own
// (not the global default: a test process builds many servers).
type metrics struct {
	reg            *prometheus.Registry
	requests       *prometheus.CounterVec
	latency        *prometheus.HistogramVec
	commentsPosted prometheus.Counter
	commentsHeld   prometheus.Counter
	busSent        prometheus.Counter
	busReceived    prometheus.Counter
	busResyncs     prometheus.Counter
	searchUpkeeps  prometheus.Counter
	// The series of each route (and status), found once: a label
	// look-up hashes its values on every call.
	counters  sync.Map // routeStatus -> prometheus.Counter
	observers sync.Map // route -> prometheus.Observer
}

type routeStatus struct {
	route  string
	status int
}

// sqlPools is implemented by the SQLite engine (one writer, many readers).
type sqlPools interface {
	Writer() *sql.DB
	Reader() *sql.DB
}

// pgxPool is implemented by the PostgreSQL engine.
type pgxPool interface {
	Pool() *pgxpool.Pool
}

func newMetrics(s *Server) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "byline_http_requests_total", Help: "HTTP requests by route pattern and status code.",
	}, []string{"route", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "byline_http_request_duration_seconds", Help: "Time to answer an HTTP request, by route pattern.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	}, []string{"route"})
	m.commentsPosted = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "byline_comments_posted_total", Help: "Comments stored by this server (shown and held).",
	})
	m.commentsHeld = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "byline_comments_held_total", Help: "Comments stored as pending for a moderator.",
	})
	m.busSent = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "byline_changes_published_total", Help: "Changes this server told the other servers of (PostgreSQL NOTIFY).",
	})
	m.busReceived = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "byline_changes_received_total", Help: "Changes other servers told this one of.",
	})
	m.busResyncs = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "byline_changes_resyncs_total", Help: "Times the change listener (re)connected and purged the whole cache.",
	})
	m.searchUpkeeps = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "byline_search_upkeeps_total", Help: "Times this server found search drifted from the archive and rebuilt what it reads (PostgreSQL: the commonest words' masks).",
	})
	c := s.cache
	m.reg.MustRegister(m.requests, m.latency, m.commentsPosted, m.commentsHeld, m.busSent, m.busReceived, m.busResyncs, m.searchUpkeeps,
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "byline_page_cache_hits_total", Help: "Page cache look-ups that found a page."},
			func() float64 { return float64(c.Hits.Load()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "byline_page_cache_misses_total", Help: "Page cache look-ups that found none."},
			func() float64 { return float64(c.Misses.Load()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "byline_page_cache_entries", Help: "Pages in the cache."},
			func() float64 { return float64(c.Len()) }),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	switch st := s.store.(type) {
	case sqlPools:
		m.reg.MustRegister(collectors.NewDBStatsCollector(st.Writer(), "sqlite_writer"),
			collectors.NewDBStatsCollector(st.Reader(), "sqlite_reader"))
	case pgxPool:
		m.reg.MustRegister(pgxPoolCollector(st.Pool()))
	}
	return m
}

// observe is logRequests' callback.
func (m *metrics) observe(route string, status int, d time.Duration) {
	k := routeStatus{route, status}
	c, ok := m.counters.Load(k)
	if !ok {
		c, _ = m.counters.LoadOrStore(k, m.requests.WithLabelValues(route, strconv.Itoa(status)))
	}
	c.(prometheus.Counter).Inc()
	o, ok := m.observers.Load(route)
	if !ok {
		o, _ = m.observers.LoadOrStore(route, m.latency.WithLabelValues(route))
	}
	o.(prometheus.Observer).Observe(d.Seconds())
}

// MetricsHandler serves the metrics in Prometheus' text format. serve
// puts it on --metrics-addr, a listener of its own, so that it is never
// reachable through the public port.
func (s *Server) MetricsHandler() http.Handler {
	return promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{ErrorLog: nil})
}

// pgxPoolCollector reports pgxpool.Stat as gauges and counters.
func pgxPoolCollector(p *pgxpool.Pool) prometheus.Collector {
	return poolCollector{p: p}
}

type poolCollector struct{ p *pgxpool.Pool }

var (
	pgMaxConns     = prometheus.NewDesc("byline_pg_pool_max_connections", "Largest size of the PostgreSQL pool.", nil, nil)
	pgTotalConns   = prometheus.NewDesc("byline_pg_pool_connections", "Connections in the pool (idle, in use and being made).", nil, nil)
	pgAcquired     = prometheus.NewDesc("byline_pg_pool_in_use", "Connections in use.", nil, nil)
	pgIdle         = prometheus.NewDesc("byline_pg_pool_idle", "Idle connections.", nil, nil)
	pgAcquireCount = prometheus.NewDesc("byline_pg_pool_acquires_total", "Connections taken from the pool.", nil, nil)
	pgEmptyAcquire = prometheus.NewDesc("byline_pg_pool_empty_acquires_total", "Acquires that had to wait for or make a connection.", nil, nil)
	pgAcquireWait  = prometheus.NewDesc("byline_pg_pool_acquire_wait_seconds_total", "Time spent waiting for a connection.", nil, nil)
)

func (c poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{pgMaxConns, pgTotalConns, pgAcquired, pgIdle, pgAcquireCount, pgEmptyAcquire, pgAcquireWait} {
		ch <- d
	}
}

func (c poolCollector) Collect(ch chan<- prometheus.Metric) {
	st := c.p.Stat()
	ch <- prometheus.MustNewConstMetric(pgMaxConns, prometheus.GaugeValue, float64(st.MaxConns()))
	ch <- prometheus.MustNewConstMetric(pgTotalConns, prometheus.GaugeValue, float64(st.TotalConns()))
	ch <- prometheus.MustNewConstMetric(pgAcquired, prometheus.GaugeValue, float64(st.AcquiredConns()))
	ch <- prometheus.MustNewConstMetric(pgIdle, prometheus.GaugeValue, float64(st.IdleConns()))
	ch <- prometheus.MustNewConstMetric(pgAcquireCount, prometheus.CounterValue, float64(st.AcquireCount()))
	ch <- prometheus.MustNewConstMetric(pgEmptyAcquire, prometheus.CounterValue, float64(st.EmptyAcquireCount()))
	ch <- prometheus.MustNewConstMetric(pgAcquireWait, prometheus.CounterValue, st.AcquireDuration().Seconds())
}

// countingComments counts the comments the comment service stores: it
// wraps the store the service writes through, so the comments package
// needs no metrics of its own.
type countingComments struct {
	comments.Store
	m *metrics
}

func (c countingComments) CreateComment(ctx context.Context, cm *news.Comment) error {
	err := c.Store.CreateComment(ctx, cm)
	if err == nil {
		c.m.commentsPosted.Inc()
		if cm.Status == news.CommentPending {
			c.m.commentsHeld.Inc()
		}
	}
	return err
}
