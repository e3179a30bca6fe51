package bank

import "sync"

// A child that points back at its owner: the owner's lock reached through the child while the
// owner holds it is the same lock, not a second order.
type backend struct {
	mu sync.RWMutex
	tx *batch
}

type batch struct {
	sync.Mutex
	b *backend
}

func (t *batch) commit() {
	t.b.begin()
}

func (b *backend) begin() {
	b.mu.RLock()
	defer b.mu.RUnlock()
}

func (b *backend) defrag() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.tx.Lock()
	defer b.tx.Unlock()
	b.tx.commit()
}
