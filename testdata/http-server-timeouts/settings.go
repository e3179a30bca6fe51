package server

import (
	nethttp "net/http"
	"time"

	http "example.com/server/web"
)

// Server describes a listener in this program's own settings file; it is not net/http.Server
// and serves nothing.
type Server struct {
	Addresses   []string
	IdleTimeout time.Duration
}

type Settings struct {
	Servers map[string]*Server
}

func defaultSettings() Settings {
	return Settings{Servers: map[string]*Server{"public": {Addresses: []string{"0.0.0.0:8443"}}}}
}

// webSettings uses another package's type named Server, imported under the name http.
func webSettings() *http.Server {
	return &http.Server{Addr: "0.0.0.0:8443"}
}

// registry maps names to servers made elsewhere: a map literal is not a server.
func registry(public *nethttp.Server) map[string]*nethttp.Server {
	return map[string]*nethttp.Server{"public": public}
}

// serveRenamed is net/http.Server under another import name, on a public address.
func serveRenamed(h nethttp.Handler) error {
	srv := &nethttp.Server{Addr: "0.0.0.0:8443", Handler: h} // want `http.Server without ReadHeaderTimeout or ReadTimeout`
	return srv.ListenAndServe()
}
