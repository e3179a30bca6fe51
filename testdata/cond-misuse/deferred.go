package queue

import "sync"

// Signals that run from a defer or a goroutine's function literal count.
type Ops struct {
	lock    sync.Mutex
	cond    *sync.Cond
	done    *sync.Cond
	pending int
}

func NewOps() *Ops {
	o := &Ops{}
	o.cond = sync.NewCond(&o.lock)
	o.done = sync.NewCond(&o.lock)
	return o
}

func (o *Ops) complete() {
	o.lock.Lock()
	defer o.lock.Unlock()
	defer o.cond.Signal()
	o.pending--
}

func (o *Ops) Finish() {
	go func() {
		o.lock.Lock()
		o.pending = 0
		o.lock.Unlock()
		o.done.Broadcast()
	}()
}

func (o *Ops) Wait() {
	o.lock.Lock()
	defer o.lock.Unlock()
	for o.pending > 0 {
		o.cond.Wait()
	}
}

func (o *Ops) WaitDone() {
	o.lock.Lock()
	defer o.lock.Unlock()
	for o.pending > 0 {
		o.done.Wait()
	}
}

// WaitOnce checks once: Wait may return with work still pending.
func (o *Ops) WaitOnce() {
	o.lock.Lock()
	defer o.lock.Unlock()
	if o.pending > 0 {
		o.done.Wait() // want "Ops.WaitOnce calls o.done.Wait\\(\\) outside a loop"
	}
}
