// Package xdspool: reference-counted clients; a client may itself talk to
// its management server through another client of the same pool.
package xdspool

import "sync"

type Client struct {
	pool *Pool
	refs int
	via  string // name of the pooled client carrying this client's stream, or ""
}

// Close shuts the client's stream; a nested client gives back the one it rides on.
func (c *Client) Close() {
	if c.via != "" {
		c.pool.Release(c.via)
	}
}

type Pool struct {
	mu      sync.Mutex
	clients map[string]*Client
}

// Release drops one reference to name and closes the client on the last one.
func (p *Pool) Release(name string) {
	p.mu.Lock()
	c, ok := p.clients[name]
	if !ok {
		p.mu.Unlock()
		return
	}
	c.refs--
	if c.refs > 0 {
		p.mu.Unlock()
		return
	}
	delete(p.clients, name)
	p.mu.Unlock()

	// Closing may call back into the pool, so do it without the lock.
	c.Close()
}
