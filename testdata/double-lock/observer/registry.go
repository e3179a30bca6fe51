// Package observer: a registry notifies its observer, kept in a field, after it releases its
// lock; the package's one observer reads the registry back through its pointer to it.
package observer

import "sync"

type Observer interface {
	Changed(key string)
}

type Registry struct {
	mu     sync.RWMutex
	values map[string]string
	obs    Observer
}

func (r *Registry) Get(key string) string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.values[key]
}

func (r *Registry) Set(key, v string) {
	r.mu.Lock()
	r.values[key] = v
	obs := r.obs
	r.mu.Unlock()
	obs.Changed(key) // the observer runs with the lock released
}

type metrics struct {
	reg  *Registry
	seen map[string]int
}

func (m *metrics) Changed(key string) {
	m.seen[m.reg.Get(key)]++
}
