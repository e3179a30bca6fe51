// Package registry keeps streams under a mutex.
package registry

import (
	"errors"
	"sync"
)

var ErrStopping = errors.New("stopping")

type Server struct {
	mu       sync.Mutex
	rw       sync.RWMutex
	stopping bool
	streams  map[string]int
	cache    map[string]string
}

func (s *Server) Add(id string) error {
	s.mu.Lock() // want `s.mu.Lock\(\) at line 20 is still held at the return at line 22 in Add`
	if s.stopping {
		return ErrStopping
	}
	s.streams[id]++
	s.mu.Unlock()
	return nil
}

func (s *Server) AddSafe(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopping {
		return ErrStopping
	}
	s.streams[id]++
	return nil
}

func (s *Server) AddExplicit(id string) error {
	s.mu.Lock()
	if s.stopping {
		s.mu.Unlock()
		return ErrStopping
	}
	s.streams[id]++
	s.mu.Unlock()
	return nil
}

func (s *Server) Get(k string) string {
	s.rw.RLock() // want `s.rw.RLock\(\) at line 51 is released with s.rw.Unlock\(\), not s.rw.RUnlock\(\)`
	defer s.rw.Unlock()
	return s.cache[k]
}

func (s *Server) GetSafe(k string) string {
	s.rw.RLock()
	defer s.rw.RUnlock()
	return s.cache[k]
}

// lock and unlock are a pair across methods: a hand-off, not a bug.
func (s *Server) lock()   { s.mu.Lock() }
func (s *Server) unlock() { s.mu.Unlock() }

// Locked returns with the lock held and a func that releases it.
func (s *Server) Acquire() func() {
	s.mu.Lock()
	return func() { s.mu.Unlock() }
}

func (s *Server) DeferClosure(id string) error {
	s.mu.Lock()
	defer func() {
		s.mu.Unlock()
	}()
	if s.stopping {
		return ErrStopping
	}
	return nil
}

func (s *Server) Loop(ids []string) {
	for _, id := range ids {
		s.mu.Lock()
		if s.stopping {
			s.mu.Unlock()
			continue
		}
		s.streams[id]++
		s.mu.Unlock()
	}
}
