package metrics

import (
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// HTTP measures REST requests. It is a prometheus.Collector; register it
// once (Register does).
type HTTP struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// NewHTTP returns an HTTP with no requests observed.
func NewHTTP() *HTTP {
	labels := []string{"route", "method", "code"}
	return &HTTP{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "linkemu_http_requests_total",
			Help: "REST requests served, by route pattern, method and HTTP status code.",
		}, labels),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "linkemu_http_request_duration_seconds",
			Help:    "Time to serve a REST request, by route pattern, method and HTTP status code.",
			Buckets: prometheus.DefBuckets,
		}, labels),
	}
}

// Observe records one request. Its signature is server.Config.Observe's.
// route is the router's pattern (e.g. /kafka/v3/clusters/{cluster_id}),
// never the raw path, so label values stay few.
func (h *HTTP) Observe(route, method string, status int, d time.Duration) {
	code := strconv.Itoa(status)
	h.requests.WithLabelValues(route, method, code).Inc()
	h.duration.WithLabelValues(route, method, code).Observe(d.Seconds())
}

// Describe implements prometheus.Collector.
func (h *HTTP) Describe(ch chan<- *prometheus.Desc) {
	h.requests.Describe(ch)
	h.duration.Describe(ch)
}

// Collect implements prometheus.Collector.
func (h *HTTP) Collect(ch chan<- prometheus.Metric) {
	h.requests.Collect(ch)
	h.duration.Collect(ch)
}

// Register registers a Collector of src and a new HTTP on reg, and returns
// the HTTP, whose Observe goes into server.Config.Observe. It fails if reg
// already holds linkemu's metrics: give each emulator a registry of its own.
func Register(reg prometheus.Registerer, src Source) (*HTTP, error) {
	h := NewHTTP()
	if err := reg.Register(NewCollector(src)); err != nil {
		return nil, fmt.Errorf("register linkemu link metrics: %w", err)
	}
	if err := reg.Register(h); err != nil {
		reg.Unregister(NewCollector(src))
		return nil, fmt.Errorf("register linkemu HTTP metrics: %w", err)
	}
	return h, nil
}

// Unregister removes what Register registered from reg, so that a
// registry that outlives an emulator can serve the next one.
func Unregister(reg prometheus.Registerer) {
	// Collectors are equal when they describe the same metrics.
	reg.Unregister(NewCollector(nil))
	reg.Unregister(NewHTTP())
}

// Handler serves g's metrics in the Prometheus exposition formats. A metric
// that fails to gather is logged and left out; the rest are served.
func Handler(g prometheus.Gatherer, log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return promhttp.HandlerFor(g, promhttp.HandlerOpts{
		ErrorLog:      promLogger{log},
		ErrorHandling: promhttp.ContinueOnError,
	})
}

// promLogger sends promhttp's errors to slog.
type promLogger struct{ l *slog.Logger }

func (p promLogger) Println(v ...any) { p.l.Error(fmt.Sprint(v...), "component", "metrics") }
