package store

import (
	"errors"
	"sync"
)

// ErrNotFound is returned for a missing key.
var ErrNotFound = errors.New("not found")

// Store is a map guarded by a mutex.
type Store struct {
	mu    sync.Mutex
	items map[string]string
}

// New returns an empty store.
func New() *Store {
	return &Store{items: map[string]string{}}
}

// Get returns the value of key.
func (s *Store) Get(key string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.items[key]
	if !ok {
		return "", ErrNotFound
	}
	return v, nil
}
