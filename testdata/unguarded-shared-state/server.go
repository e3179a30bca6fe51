package session

import (
	"net/http"
	"sync"
)

type Server struct {
	mu    sync.Mutex
	hits  map[string]int
	conns map[string]bool
	log   []string
}

func (s *Server) routes(mux *http.ServeMux) {
	mux.HandleFunc("/hit", s.handleHit)
	mux.HandleFunc("/safe", s.handleSafe)
}

func (s *Server) handleHit(w http.ResponseWriter, r *http.Request) {
	s.hits[r.URL.Path]++ // want `s.hits \(map field of Server\) is written in handleHit \(line 21\) without a lock, not under the mutex Server holds; handleHit runs concurrently \(an HTTP handler \(HandleFunc at server.go:16\)\)`
	s.record(r.URL.Path)
}

func (s *Server) record(p string) {
	s.log = append(s.log, p) // want `s.log \(slice field of Server\) is written in record .*called by handleHit`
}

func (s *Server) handleSafe(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hits[r.URL.Path]++
	s.closeLocked(r.URL.Path)
}

// closeLocked drops a connection. The caller holds s.mu.
func (s *Server) closeLocked(id string) {
	delete(s.conns, id)
}

// forget drops a connection; it must be called with s.mu held.
func (s *Server) forget(id string) {
	delete(s.conns, id)
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	if s.conns[r.RemoteAddr] {
		s.mu.Unlock()
		return
	}
	s.conns[r.RemoteAddr] = true
	s.forget("old")
	s.mu.Unlock()
}
