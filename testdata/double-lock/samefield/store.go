// Package samefield: a store copies its nodes under its read lock and offers them to
// a queue after it releases it; the
// queue asks each node's store, the same store, for its status, which read-locks it again.
// Add write-locks the store: a writer waiting between the two RLocks blocks the second.
package samefield

import "sync"

type Store struct {
	mu    sync.RWMutex
	nodes map[int]*Node
	queue *Queue
}

type Node struct {
	id    int
	store *Store
}

type Queue struct {
	sync.Mutex
	ids []int
}

func (s *Store) Add(n *Node) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nodes[n.id] = n
}

func (s *Store) Sweep() {
	s.mu.RLock()
	ns := make([]*Node, 0, len(s.nodes))
	for _, n := range s.nodes {
		ns = append(ns, n)
	}
	s.mu.RUnlock()
	for _, n := range ns {
		s.queue.Offer(n) // offered with the store's lock released
	}
}

func (q *Queue) Offer(n *Node) {
	q.Lock()
	defer q.Unlock()
	if n.store.Status() {
		q.ids = append(q.ids, n.id)
	}
}

func (s *Store) Status() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.nodes) > 0
}
