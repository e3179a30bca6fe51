package server

import (
	"crypto/tls"
	"fmt"
	"net/http"
	"time"
)

// StartOption customizes the http.Server before it serves (go-zero's rest starter): the
// caller's options may set its timeouts.
type StartOption func(svr *http.Server)

// WithTimeouts is the option callers pass.
func WithTimeouts(d time.Duration) StartOption {
	return func(svr *http.Server) {
		svr.ReadTimeout = d
		svr.WriteTimeout = d
	}
}

// start hands the server to each option, then to run: either may set the timeouts.
func start(host string, port int, handler http.Handler, run func(*http.Server) error, opts ...StartOption) error {
	server := &http.Server{
		Addr:    fmt.Sprintf("%s:%d", host, port),
		Handler: handler,
	}
	for _, opt := range opts {
		opt(server)
	}
	return run(server)
}

// configured hands the server to a function that can set its fields.
func configured(h http.Handler, configure func(*http.Server)) error {
	srv := http.Server{Addr: ":8080", Handler: h}
	configure(&srv)
	return srv.ListenAndServe()
}

// optionsFirst applies its options to something else before the server exists: nothing sets
// the server's timeouts.
func optionsFirst(h http.Handler, opts ...func(*http.Transport)) error {
	t := &http.Transport{}
	for _, o := range opts {
		o(t)
	}
	srv := &http.Server{Addr: ":8080", Handler: h} // want `http.Server without ReadHeaderTimeout or ReadTimeout: slow clients \(slowloris\) hold connections forever$`
	return srv.ListenAndServe()
}

// servedBeforeOptions serves first: an option applied afterwards comes too late.
func servedBeforeOptions(h http.Handler, opts ...StartOption) error {
	srv := &http.Server{Addr: ":8080", Handler: h} // want `http.Server without ReadHeaderTimeout or ReadTimeout: slow clients \(slowloris\) hold connections forever$`
	err := srv.ListenAndServe()
	for _, opt := range opts {
		opt(srv)
	}
	return err
}

// servedByHelper hands the server only to a function that serves it.
func servedByHelper(h http.Handler) error {
	srv := &http.Server{Addr: ":8080", Handler: h} // want `http.Server without ReadHeaderTimeout or ReadTimeout: slow clients \(slowloris\) hold connections forever$`
	return gracefulListenAndServe(srv)
}

func gracefulListenAndServe(srv *http.Server) error { return srv.ListenAndServe() }

// A copy handed to a function cannot have its fields set there.
func copied(h http.Handler, show func(http.Server)) error {
	srv := http.Server{Addr: ":8080", Handler: h} // want `http.Server without ReadHeaderTimeout or ReadTimeout: slow clients \(slowloris\) hold connections forever$`
	show(srv)
	return srv.ListenAndServe()
}

// Server is a library's server (kratos' transport/http): NewServer builds the http.Server with
// only a handler and TLS settings, and no option can reach its timeouts.
type Server struct {
	*http.Server
	tlsConf *tls.Config
	router  http.Handler
}

// ServerOption configures the library's Server, not the http.Server.
type ServerOption func(*Server)

func NewServer(opts ...ServerOption) *Server {
	srv := &Server{router: http.NewServeMux()}
	for _, o := range opts {
		o(srv)
	}
	srv.Server = &http.Server{ // want `http.Server without ReadHeaderTimeout or ReadTimeout: slow clients \(slowloris\) hold connections forever$`
		Handler:   srv.router,
		TLSConfig: srv.tlsConf,
	}
	return srv
}
