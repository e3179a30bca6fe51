package queue

import "sync"

type Queue struct {
	mu    sync.Mutex
	cond  *sync.Cond
	idle  *sync.Cond
	items []int
}

func New() *Queue {
	q := &Queue{}
	q.cond = sync.NewCond(&q.mu)
	q.idle = sync.NewCond(&q.mu)
	return q
}

// Pop waits once and assumes the queue is no longer empty.
func (q *Queue) Pop() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) == 0 {
		q.cond.Wait() // want "Queue.Pop calls q.cond.Wait\\(\\) outside a loop"
	}
	v := q.items[0]
	q.items = q.items[1:]
	return v
}

// PopSafe re-checks in a loop.
func (q *Queue) PopSafe() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.cond.Wait()
	}
	v := q.items[0]
	q.items = q.items[1:]
	return v
}

func (q *Queue) Push(v int) {
	q.mu.Lock()
	q.items = append(q.items, v)
	q.mu.Unlock()
	q.cond.Signal()
}

// WaitIdle waits on a cond nobody signals.
func (q *Queue) WaitIdle() {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) > 0 {
		q.idle.Wait() // want "waits on q.idle but nothing in the package calls q.idle.Signal or q.idle.Broadcast"
	}
}

// A local cond, broadcast by the goroutine it starts.
func Ready() {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	ready := false
	go func() {
		mu.Lock()
		ready = true
		mu.Unlock()
		c.Broadcast()
	}()
	mu.Lock()
	for !ready {
		c.Wait()
	}
	mu.Unlock()
}
