// Package session keeps sessions in memory.
package session

import (
	"net/http"
	"sync"
)

type Session struct{ ID string }

type Service struct {
	sessions map[string]Session
	created  int
}

func (s *Service) Create(id string) Session {
	sess := Session{ID: id}
	s.sessions[id] = sess // want `s.sessions \(map field of Service\) is written in Create \(line 18\) without a lock, and Service has no mutex; Create runs concurrently \(called from goroutines started in a loop at service.go:28\)`
	s.created++ // want `s.created \(counter field of Service\)`
	return sess
}

// CreateAll creates in parallel.
func (s *Service) CreateAll(ids []string) {
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func(id string) {
			defer wg.Done()
			s.Create(id)
		}(id)
	}
	wg.Wait()
}

type SafeService struct {
	mu       sync.Mutex
	sessions map[string]Session
}

func (s *SafeService) Create(id string) Session {
	sess := Session{ID: id}
	s.mu.Lock()
	s.sessions[id] = sess
	s.mu.Unlock()
	return sess
}

func (s *SafeService) CreateAll(ids []string) {
	for _, id := range ids {
		go s.Create(id)
	}
}

// Builder is used by one goroutine only: no entry point, no finding.
type Builder struct{ parts []string }

func (b *Builder) Add(p string) { b.parts = append(b.parts, p) }
