package lease

import (
	"context"
	"time"
)

// Lease renews itself in the background until Release stops it.
type Lease struct {
	stop chan struct{}
}

func Acquire(name string) *Lease {
	l := &Lease{stop: make(chan struct{})}
	go l.renew(name)
	return l
}

func (l *Lease) renew(name string) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			_ = name
		case <-l.stop:
			return
		}
	}
}

func (l *Lease) Release() { close(l.stop) }

// Warm takes a lease and drops it: nobody can call Release, so renew runs forever.
func Warm(ctx context.Context, names []string) {
	for _, n := range names {
		Acquire(n) // want `Acquire\(n\) drops the \*Lease it returns: the goroutine Acquire starts \(l.renew, line 15\) returns only on <-l.stop, which only Lease.Release closes, and nobody can call it now`
	}
	<-ctx.Done()
}
