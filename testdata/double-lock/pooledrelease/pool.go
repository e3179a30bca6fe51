// Package pooledrelease: a connection pool closes an idle connection after it releases the
// pool's lock; closing a connection gives its slot back to the pool it came from.
package pooledrelease

import "sync"

type conn struct {
	pool *Pool
	id   int
	idle bool
}

func (c *conn) close() {
	c.pool.putSlot(c.id)
}

type Pool struct {
	mu    sync.Mutex
	conns []*conn
	slots []int
}

func (p *Pool) putSlot(id int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.slots = append(p.slots, id)
}

func (p *Pool) Prune() {
	p.mu.Lock()
	var idle []*conn
	for _, c := range p.conns {
		if c.idle {
			idle = append(idle, c)
		}
	}
	p.mu.Unlock()
	for _, c := range idle {
		c.close() // the pool's lock is released first
	}
}
