package reg

import (
	"log"
	"strings"
	"sync"
)

type Registry struct {
	mu    sync.RWMutex
	names []string
}

func (r *Registry) String() string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.stringLocked()
}

func (r *Registry) stringLocked() string { return strings.Join(r.names, ",") }

func (r *Registry) Add(n string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.names = append(r.names, n)
	log.Printf("registry is now %s", r.stringLocked())
}

// Log formats the registry after unlocking.
func (r *Registry) Log(n string) {
	r.mu.Lock()
	r.names = append(r.names, n)
	r.mu.Unlock()
	log.Println("registry:", r)
}
