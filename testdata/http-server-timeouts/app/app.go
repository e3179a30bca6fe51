// Package main serves the application on the default mux, and profiles beside it.
package main

import (
	"net/http"
	_ "net/http/pprof"
)

func index(w http.ResponseWriter, r *http.Request) {}

func main() {
	http.HandleFunc("/", index)
	if err := http.ListenAndServe(":8080", nil); err != nil { // want `http.ListenAndServe serves without read or header timeouts: .*ReadHeaderTimeout$`
		panic(err)
	}
}
