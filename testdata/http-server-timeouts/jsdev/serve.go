//go:build none

// A developer's helper, run by hand (`go run serve.go`) and never built with its package: test
// code, so its finding is one level lower.
package main

import (
	"log"
	"net/http"
)

func main() {
	mux := http.NewServeMux()
	mux.Handle("/", http.FileServer(http.Dir(".")))
	log.Fatal(http.ListenAndServe(":3000", mux)) // want `http.ListenAndServe serves without read or header timeouts: .*ReadHeaderTimeout$`
}
