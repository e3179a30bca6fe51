package server

import (
	"net"
	"net/http"
	"time"
)

func serve(mux *http.ServeMux) error {
	return http.ListenAndServe(":8080", mux) // want `http.ListenAndServe serves without read or header timeouts`
}

func serveTLS(mux *http.ServeMux) error {
	return http.ListenAndServeTLS("0.0.0.0:8443", "cert.pem", "key.pem", mux) // want `http.ListenAndServeTLS serves without`
}

func serveBare(mux *http.ServeMux) error {
	srv := &http.Server{Addr: ":8080", Handler: mux} // want `http.Server without ReadHeaderTimeout or ReadTimeout`
	return srv.ListenAndServe()
}

func serveSafe(mux *http.ServeMux) error {
	srv := &http.Server{Addr: ":8080", Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	return srv.ListenAndServe()
}

func serveReadTimeout(mux *http.ServeMux) error {
	srv := http.Server{Addr: ":8080", Handler: mux, ReadTimeout: 30 * time.Second}
	return srv.ListenAndServe()
}

func serveLater(mux *http.ServeMux) error {
	srv := &http.Server{Addr: ":8080", Handler: mux}
	srv.ReadHeaderTimeout = 5 * time.Second
	return srv.ListenAndServe()
}

// debug listens on loopback only.
func debug() error {
	return http.ListenAndServe("localhost:6060", nil)
}

func debugServer() error {
	srv := &http.Server{Addr: "127.0.0.1:6060"}
	return srv.ListenAndServe()
}

// serveListener hands the server a listener on all interfaces.
func serveListener(mux *http.ServeMux, ln net.Listener) error {
	srv := &http.Server{Handler: mux} // want `http.Server without ReadHeaderTimeout`
	return srv.Serve(ln)
}

// serveLocal listens on loopback itself.
func serveLocal(mux *http.ServeMux) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux}
	return srv.Serve(ln)
}

// servePublic is a real net/http.Server on a public address with no read or header timeout.
func servePublic(h http.Handler) error {
	srv := &http.Server{Addr: "0.0.0.0:8443", Handler: h} // want `http.Server without ReadHeaderTimeout or ReadTimeout`
	return srv.ListenAndServe()
}
