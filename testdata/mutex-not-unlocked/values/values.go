// Package values releases its locks through function values.
package values

import "sync"

var mu sync.RWMutex

func work() {}

// run releases the write lock through a OnceFunc, deferred and called early.
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

type Table struct {
	mu   sync.Mutex
	rows []int
}

// Get defers a method value.
func (t *Table) Get(i int) int {
	t.mu.Lock()
	unlock := t.mu.Unlock
	defer unlock()
	if i >= len(t.rows) {
		return 0
	}
	return t.rows[i]
}

// Set releases through a stored closure on every path.
func (t *Table) Set(i, v int) bool {
	t.mu.Lock()
	release := func() { t.mu.Unlock() }
	if i >= len(t.rows) {
		release()
		return false
	}
	t.rows[i] = v
	release()
	return true
}

// Put forgets the closure on the early return.
func (t *Table) Put(i, v int) bool {
	t.mu.Lock() // want `t.mu.Lock\(\) at line 53 is still held at the return at line 56 in Put`
	release := func() { t.mu.Unlock() }
	if i >= len(t.rows) {
		return false
	}
	t.rows[i] = v
	release()
	return true
}
