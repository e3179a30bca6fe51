// Package main is a tool whose default mux serves only net/http/pprof's profiles.
package main

import (
	"fmt"
	"net/http"
	_ "net/http/pprof"
)

func main() {
	go func() {
		for port := 8080; port < 9080; port++ {
			if err := http.ListenAndServe(fmt.Sprintf("0.0.0.0:%d", port), nil); err != nil { // want `http.ListenAndServe serves without .*\(its handler serves only operational endpoints`
				continue
			}
		}
	}()
	http.DefaultServeMux.Handle("/debug/requests", http.NotFoundHandler())
	run()
}

func run() {}

// debugServer is an http.Server with no handler: the default mux, profiles only.
func debugServer(addr string) error {
	srv := &http.Server{Addr: addr} // want `http.Server without ReadHeaderTimeout or ReadTimeout: .*\(its handler serves only operational endpoints`
	return srv.ListenAndServe()
}
