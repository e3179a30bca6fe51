// Package token: per-RPC credentials that refresh an ID token in the background.
package token

import (
	"context"
	"sync"
	"time"
)

const fetchTimeout = time.Minute

// Source fetches a token from a metadata server over the network.
type Source interface {
	Fetch(ctx context.Context) (tok string, expiry time.Time, err error)
}

type Creds struct {
	ctx context.Context // lives as long as the credentials; cancelling it stops refreshes
	src Source

	mu       sync.Mutex
	tok      string
	expiry   time.Time
	fetching bool
}

func New(ctx context.Context, src Source) *Creds { return &Creds{ctx: ctx, src: src} }

// Header returns the cached token, starting a refresh when it is close to expiry.
func (c *Creds) Header() map[string]string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Until(c.expiry) < time.Minute && !c.fetching {
		c.fetching = true
		go c.refresh()
	}
	return map[string]string{"authorization": "Bearer " + c.tok}
}

func (c *Creds) refresh() {
	ctx, cancel := context.WithTimeout(c.ctx, fetchTimeout)
	defer cancel()
	tok, exp, err := c.src.Fetch(ctx)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fetching = false
	if err == nil {
		c.tok, c.expiry = tok, exp
	}
}
