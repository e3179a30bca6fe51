// Package twostores: a node's store is not the store that ranges over a copy: two stores of
// one type, locked one after the other, are two locks (no back pointer from an element of the
// holder's own map).
package twostores

import "sync"

type Store struct {
	mu    sync.RWMutex
	nodes map[int]*Node
	peer  *Store
}

type Node struct {
	id    int
	store *Store
}

func (s *Store) Add(n *Node) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nodes[n.id] = n
}

// Mirror holds s.mu and asks the peer: another store.
func (s *Store) Mirror(n *Node) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	s.peer.Status()
	n.store.Status()
}

func (s *Store) Status() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.nodes) > 0
}
