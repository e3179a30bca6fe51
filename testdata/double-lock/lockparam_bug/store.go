// Package lockparam_bug holds the lock and asks the helper to take it again.
package lockparam_bug

import "sync"

type Store struct {
	mu   sync.Mutex
	data map[string]int
}

func (s *Store) drop(key string, lock bool) {
	if lock {
		s.mu.Lock()
		defer s.mu.Unlock()
	}
	delete(s.data, key)
}

func (s *Store) evict(key string, locked bool) {
	if !locked {
		s.mu.Lock()
		defer s.mu.Unlock()
	}
	delete(s.data, key)
}

func (s *Store) dropAll(keys []string, lock bool) {
	for _, k := range keys {
		s.drop(k, lock)
	}
}

func (s *Store) Clear(keys []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range keys {
		s.drop(k, true) // want `Store.Clear holds s.mu \(locked at line 34\) and calls Store.drop, with lock = true, which locks s.mu again at line 13`
	}
}

func (s *Store) ClearEvict(keys []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range keys {
		s.evict(k, false) // want `calls Store.evict, with locked = false, which locks s.mu again`
	}
}

func (s *Store) ClearAll(keys []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dropAll(keys, true) // want `calls Store.dropAll → Store.drop, with lock = true, which locks s.mu again`
}
