// Package priority: a parent balancer applying child health reports on its own goroutine.
package priority

import "sync"

type report struct {
	child   string
	healthy bool
}

type Balancer struct {
	mu      sync.Mutex
	closed  bool
	health  map[string]bool
	reports chan report
	done    chan struct{}
}

func New() *Balancer {
	b := &Balancer{
		health:  make(map[string]bool),
		reports: make(chan report, 16),
		done:    make(chan struct{}),
	}
	go b.loop()
	return b
}

// loop applies reports one at a time, so a child may report while the parent calls it.
func (b *Balancer) loop() {
	for {
		select {
		case r, ok := <-b.reports:
			if !ok {
				return
			}
			b.mu.Lock()
			if b.closed {
				b.mu.Unlock()
				return
			}
			b.health[r.child] = r.healthy
			b.mu.Unlock()
		case <-b.done:
			return
		}
	}
}

func (b *Balancer) Close() {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	close(b.done)
}
