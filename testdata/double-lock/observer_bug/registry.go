// Package observer: a registry notifies its observer, kept in a field, while it holds its
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
	defer r.mu.Unlock()
	r.values[key] = v
	r.obs.Changed(key) // want `Registry.Set holds r.mu \(locked at line 24\) and calls metrics.Changed → Registry.Get, which read-locks r.mu again at line 18`
}

type metrics struct {
	reg  *Registry
	seen map[string]int
}

func (m *metrics) Changed(key string) {
	m.seen[m.reg.Get(key)]++
}
