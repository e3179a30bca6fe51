package node

import "sync"

type Store struct {
	mu struct { // the mutex is embedded in an anonymous struct
		sync.Mutex
		nodes map[int]*Node
	}
}

type Node struct {
	mu    sync.Mutex
	store *Store
}

func (s *Store) Flush() {
	s.mu.Lock() // Store.mu, then Node.mu
	defer s.mu.Unlock()
	for _, n := range s.mu.nodes {
		n.sync()
	}
}

func (n *Node) sync() { n.mu.Lock(); n.mu.Unlock() }

func (n *Node) Tick() {
	n.mu.Lock() // Node.mu, then Store.mu
	defer n.mu.Unlock()
	st := n.store
	st.mu.Lock() // want `Node.Tick takes st.mu.Mutex at line 31 while holding n.mu \(locked at line 28\); Store.Flush takes them in the opposite order`
	st.mu.Unlock()
}
