// Package pooledrelease: a connection pool closes an idle connection while it holds the
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
	defer p.mu.Unlock()
	for _, c := range p.conns {
		if c.idle {
			c.close() // want `Pool.Prune holds p.mu \(locked at line 30\) and calls conn.close → Pool.putSlot, which locks p.mu again at line 24`
		}
	}
}
