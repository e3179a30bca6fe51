// Package unlockvalues releases locks through function values.
package unlockvalues

import "sync"

var mu sync.RWMutex

func work() {}

// run releases the write lock through a OnceFunc before taking the read lock.
func run() {
	mu.Lock()
	unlock := sync.OnceFunc(mu.Unlock)
	defer unlock()
	work()
	unlock()
	mu.RLock()
	defer mu.RUnlock()
	work()
}

// runLeaked never calls the OnceFunc before the read lock: mu is still write-locked.
func runLeaked() {
	mu.Lock()
	unlock := sync.OnceFunc(mu.Unlock)
	defer unlock()
	work()
	mu.RLock() // want `runLeaked read-locks mu again while it holds it`
	defer mu.RUnlock()
	work()
}

type Queue struct {
	mu    sync.Mutex
	items []int
	wg    sync.WaitGroup
}

// Pop releases through a method value, then locks again.
func (q *Queue) Pop() int {
	q.mu.Lock()
	unlock := q.mu.Unlock
	n := len(q.items)
	unlock()
	work()
	q.mu.Lock()
	defer q.mu.Unlock()
	return n
}

// Push releases through a stored closure, then locks again.
func (q *Queue) Push(v int) {
	q.mu.Lock()
	release := func() { q.mu.Unlock() }
	q.items = append(q.items, v)
	release()
	q.mu.Lock()
	q.items = append(q.items, v)
	q.mu.Unlock()
}

// PushKept makes the closure but never calls it before locking again.
func (q *Queue) PushKept(v int) {
	q.mu.Lock()
	release := func() { q.mu.Unlock() }
	defer release()
	q.mu.Lock() // want `Queue.PushKept locks q.mu again while it holds it`
	q.items = append(q.items, v)
}

// Handoff gives the lock to a goroutine that releases it; the wait joins it.
func (q *Queue) Handoff() {
	q.mu.Lock()
	q.wg.Add(1)
	go func() {
		defer q.wg.Done()
		work()
		q.mu.Unlock()
	}()
	q.wg.Wait()
	q.mu.Lock()
	q.items = nil
	q.mu.Unlock()
}
