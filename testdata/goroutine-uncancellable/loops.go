package agent

import (
	"context"
	"time"
)

type Cache struct {
	entries map[string]string
	stop    chan struct{}
}

func (c *Cache) prune() {}

// Start loops forever although Close exists.
func (c *Cache) Start() {
	go func() {
		for { // want `goroutine started at line 17 loops forever \(the for at line 18 has no return or break\), although Cache has a Close method`
			time.Sleep(time.Minute)
			c.prune()
		}
	}()
}

// StartTicker ranges over a ticker forever.
func (c *Cache) StartTicker() {
	t := time.NewTicker(time.Minute)
	go func() {
		for range t.C { // want `although Cache has a Close method`
			c.prune()
		}
	}()
}

// StartSafe stops when Close closes stop.
func (c *Cache) StartSafe() {
	go func() {
		t := time.NewTicker(time.Minute)
		defer t.Stop()
		for {
			select {
			case <-c.stop:
				return
			case <-t.C:
				c.prune()
			}
		}
	}()
}

// Close stops the pruning goroutine.
func (c *Cache) Close() { close(c.stop) }

// Poll has a context it never reads.
func Poll(ctx context.Context, f func()) {
	go func() {
		for { // want `Poll has ctx \(context.Context\) that the loop never reads`
			f()
			time.Sleep(time.Second)
		}
	}()
}

// PollSafe returns when ctx is done.
func PollSafe(ctx context.Context, f func()) {
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
				f()
			}
		}
	}()
}

// Spin has nothing that could stop it: a daemon helper, not reported.
func Spin(f func()) {
	go func() {
		for {
			f()
		}
	}()
}
