package server

import (
	"encoding/json"
	"expvar"
	"fmt"
	"net/http"
	"net/http/pprof"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// A server whose handler serves only operational endpoints (metrics, profiling, health checks)
// is reported one level lower: a reviewer reads it as an internal metrics or debug endpoint.

// metricsAgent serves Prometheus metrics alone.
func metricsAgent(port int) error {
	return http.ListenAndServe(fmt.Sprintf(":%d", port), promhttp.Handler()) // want `http.ListenAndServe serves without .*\(its handler serves only operational endpoints`
}

// metricsMux is a mux whose only routes are metrics, profiling and a health check.
func metricsMux(addr string) error {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.Handler())
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.Handle("/debug/vars", expvar.Handler())
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	srv := &http.Server{Addr: addr, Handler: mux} // want `http.Server without ReadHeaderTimeout or ReadTimeout: .*\(its handler serves only operational endpoints`
	return srv.ListenAndServe()
}

// appMux serves the application beside its metrics: reported at the rule's severity.
func appMux(addr string, api http.Handler) error {
	app := http.NewServeMux()
	app.Handle("/metrics", promhttp.Handler())
	app.Handle("/api/", api)
	srv := &http.Server{Addr: addr, Handler: app} // want `http.Server without ReadHeaderTimeout or ReadTimeout: slow clients \(slowloris\) hold connections forever$`
	return srv.ListenAndServe()
}

// devServer registers its routes through a helper, as go-zero's dev server does; every route
// it is given is a health check, metrics or profiling.
type devServer struct {
	server *http.ServeMux
	routes []string
}

func (s *devServer) handleFunc(pattern string, handler http.HandlerFunc) {
	s.server.HandleFunc(pattern, handler)
	s.routes = append(s.routes, pattern)
}

func (s *devServer) start(addr, healthPath string) error {
	s.handleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(s.routes)
	})
	s.handleFunc(healthPath, func(w http.ResponseWriter, r *http.Request) {})
	s.handleFunc("/metrics", promhttp.Handler().ServeHTTP)
	s.handleFunc("/debug/pprof/profile", pprof.Profile)
	return http.ListenAndServe(addr, s.server) // want `http.ListenAndServe serves without .*\(its handler serves only operational endpoints`
}

// appServer registers its routes through the same kind of helper, one of them the application's.
type appServer struct {
	mux *http.ServeMux
}

func (s *appServer) route(pattern string, handler http.HandlerFunc) {
	s.mux.HandleFunc(pattern, handler)
}

func (s *appServer) start(addr string, users http.HandlerFunc) error {
	s.route("/metrics", promhttp.Handler().ServeHTTP)
	s.route("/users", users)
	return http.ListenAndServe(addr, s.mux) // want `http.ListenAndServe serves without read or header timeouts: .*ReadHeaderTimeout$`
}

// handedMux serves a mux made elsewhere: nothing here says what it serves.
func handedMux(addr string, mux *http.ServeMux) error {
	return http.ListenAndServe(addr, mux) // want `http.ListenAndServe serves without read or header timeouts: .*ReadHeaderTimeout$`
}

// helloServer serves one fixed page and nothing operational: reported at the rule's severity.
func helloServer(addr string) error {
	hello := http.NewServeMux()
	hello.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("hello")) })
	return http.ListenAndServe(addr, hello) // want `http.ListenAndServe serves without read or header timeouts: .*ReadHeaderTimeout$`
}
