package reg

import (
	"fmt"
	"log"
	"strings"
	"sync"
)

type Registry struct {
	mu    sync.RWMutex
	names []string
}

func (r *Registry) String() string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return strings.Join(r.names, ",")
}

func (r *Registry) Add(n string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.names = append(r.names, n)
	log.Printf("registry is now %v", r) // want "Registry.Add holds r.mu \\(locked at line 22\\) and calls log.Printf → Registry.String, which read-locks r.mu again at line 16"
}

type Server struct {
	mu  sync.Mutex
	reg *Registry
	err *stateError
}

type stateError struct {
	mu  sync.Mutex
	msg string
}

func (e *stateError) Error() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.msg
}

// Fail formats an error whose Error method takes the lock it holds.
func (s *Server) Fail() error {
	s.err.mu.Lock()
	defer s.err.mu.Unlock()
	return fmt.Errorf("server failed: %w", s.err) // want "calls fmt.Errorf → stateError.Error, which locks s.err.mu again"
}

// Describe formats the registry under the server's own lock: another lock, no deadlock.
func (s *Server) Describe() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fmt.Sprintf("server with %v", s.reg)
}
