package queue

import "sync"

func background(f func()) <-chan struct{} {
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	return done
}

type Notifier struct {
	mu      sync.Mutex
	cond    *sync.Cond
	pending bool
}

// WaitOnce hands Wait to another goroutine as a value: no predicate, no loop.
func (n *Notifier) WaitOnce(abort <-chan struct{}) {
	n.mu.Lock()
	defer n.mu.Unlock()
	woken := background(n.cond.Wait) // want "Notifier.WaitOnce uses n.cond.Wait as a function value"
	select {
	case <-abort:
		n.cond.Signal()
		<-woken
	case <-woken:
	}
}

// WaitPending waits in a loop on its condition.
func (n *Notifier) WaitPending() {
	n.mu.Lock()
	defer n.mu.Unlock()
	for !n.pending {
		n.cond.Wait()
	}
}

type group struct{ wg sync.WaitGroup }

// A WaitGroup's Wait as a value is no cond.
func (g *group) waiter() func() {
	return g.wg.Wait
}
