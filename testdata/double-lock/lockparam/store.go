// Package lockparam has helpers that take the store's lock only when their caller asks.
package lockparam

import "sync"

type Store struct {
	mu   sync.Mutex
	data map[string]int
}

// drop takes the lock only when lock is true; callers that hold it pass false.
func (s *Store) drop(key string, lock bool) {
	if lock {
		s.mu.Lock()
		defer s.mu.Unlock()
	}
	delete(s.data, key)
}

// evict is the same helper written the other way round.
func (s *Store) evict(key string, locked bool) {
	if !locked {
		s.mu.Lock()
		defer s.mu.Unlock()
	}
	delete(s.data, key)
}

// dropAll passes its own flag on: it locks exactly when drop does.
func (s *Store) dropAll(keys []string, lock bool) {
	for _, k := range keys {
		s.drop(k, lock)
	}
}

func (s *Store) Drop(key string) { s.drop(key, true) }
