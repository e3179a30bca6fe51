// Package server is agentd's HTTP API: sessions, search and a stream of
// session events for the UI.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"example.com/agentd/internal/agent"
	"example.com/agentd/internal/db"
	"example.com/agentd/internal/session"
)

var (
	// ErrStopping is returned for new event streams once Stop was called.
	ErrStopping = errors.New("server is stopping")
	// ErrTooManyStreams is returned when every event stream slot is taken.
	ErrTooManyStreams = errors.New("too many event streams")
)

// Server serves the API.
type Server struct {
	sessions    *session.Service
	store       *db.Store
	events      *session.Broker
	coordinator *agent.Coordinator
	maxStreams  int

	mu       sync.Mutex
	conns    map[net.Conn]struct{}
	streams  map[string]context.CancelFunc
	stopping bool
}

// New returns a Server over the given services.
func New(sessions *session.Service, store *db.Store, events *session.Broker, coordinator *agent.Coordinator) *Server {
	return &Server{
		sessions:    sessions,
		store:       store,
		events:      events,
		coordinator: coordinator,
		maxStreams:  32,
		conns:       make(map[net.Conn]struct{}),
		streams:     make(map[string]context.CancelFunc),
	}
}

func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /sessions", s.handleCreateSession)
	mux.HandleFunc("GET /sessions/{id}", s.handleGetSession)
	mux.HandleFunc("GET /search", s.handleSearch)
	mux.HandleFunc("GET /events", s.handleEvents)
	mux.HandleFunc("POST /tools/run", s.handleRunTool)
	return mux
}

// ListenAndServe serves the API on port 8080 until the listener fails.
func (s *Server) ListenAndServe() error {
	mux := s.routes()
	slog.Info("listening", "addr", ":8080")
	return http.ListenAndServe(":8080", mux)
}

// Serve serves the API on addr until ctx is cancelled, then shuts down
// gracefully. Unlike ListenAndServe it bounds how long a client may take to
// send headers and bodies, so slow clients cannot hold connections open.
func (s *Server) Serve(ctx context.Context, addr string) error {
	srv := &http.Server{
		Addr:              addr,
		Handler:           s.routes(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ConnState:         s.trackConn,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}

	errc := make(chan error, 1)
	go func() {
		errc <- srv.ListenAndServe()
	}()

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}

	s.StopSafe()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		s.closeConns()
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// trackConn records open connections so Stop can close them.
func (s *Server) trackConn(c net.Conn, state http.ConnState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch state {
	case http.StateNew:
		s.conns[c] = struct{}{}
	case http.StateClosed, http.StateHijacked:
		delete(s.conns, c)
	}
}

// addStream registers an event stream so Stop can end it.
func (s *Server) addStream(id string, cancel context.CancelFunc) error {
	s.mu.Lock()
	if s.stopping {
		return ErrStopping
	}
	if len(s.streams) >= s.maxStreams {
		s.mu.Unlock()
		return ErrTooManyStreams
	}
	s.streams[id] = cancel
	s.mu.Unlock()
	return nil
}

// addStreamSafe is addStream with the unlock deferred, so every return
// path releases the mutex.
func (s *Server) addStreamSafe(id string, cancel context.CancelFunc) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopping {
		return ErrStopping
	}
	if len(s.streams) >= s.maxStreams {
		return ErrTooManyStreams
	}
	s.streams[id] = cancel
	return nil
}

func (s *Server) removeStream(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.streams, id)
}

// Stop refuses new event streams, ends the open ones and closes every
// connection.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopping = true
	s.cancelStreamsLocked()
	s.closeConns()
}

// StopSafe is Stop calling the Locked variant of the helper, since it
// already holds s.mu; sync.Mutex is not reentrant.
func (s *Server) StopSafe() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopping = true
	s.cancelStreamsLocked()
	s.closeConnsLocked()
}

// cancelStreamsLocked ends every event stream. The caller holds s.mu.
func (s *Server) cancelStreamsLocked() {
	for id, cancel := range s.streams {
		cancel()
		delete(s.streams, id)
	}
}

// closeConns closes every tracked connection.
func (s *Server) closeConns() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closeConnsLocked()
}

// closeConnsLocked closes every tracked connection. The caller holds s.mu.
func (s *Server) closeConnsLocked() {
	for c := range s.conns {
		if err := c.Close(); err != nil {
			slog.Debug("close connection", "remote", c.RemoteAddr(), "error", err)
		}
		delete(s.conns, c)
	}
}
