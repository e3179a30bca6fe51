// Package registry keeps the tools offered to the model and a cache of
// results of the tools that are safe to memoise.
package registry

import (
	"sync"
	"time"

	"example.com/agentd/internal/tools"
)

// cacheTTL is how long a cached result stays fresh.
const cacheTTL = 5 * time.Minute

type cachedResult struct {
	tool    string
	resp    tools.Response
	expires time.Time
}

// resultCache maps a tool call's key (tool name and input) to its result.
type resultCache struct {
	mu      sync.Mutex
	entries map[string]cachedResult
}

// dropToolLocked removes every entry of the named tool. The caller holds c.mu.
func (c *resultCache) dropToolLocked(name string) {
	for key, e := range c.entries {
		if e.tool == name {
			delete(c.entries, key)
		}
	}
}

// Registry is safe for concurrent use.
type Registry struct {
	mu    sync.RWMutex
	tools map[string]tools.Tool
	cache *resultCache
}

// New returns an empty registry.
func New() *Registry {
	return &Registry{
		tools: make(map[string]tools.Tool),
		cache: &resultCache{entries: make(map[string]cachedResult)},
	}
}

// Register adds t, replacing any tool of the same name, and drops the
// results cached for the tool it replaces.
func (r *Registry) Register(t tools.Tool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tools[t.Name()] = t

	r.cache.mu.Lock()
	defer r.cache.mu.Unlock()
	r.cache.dropToolLocked(t.Name())
}

// Lookup returns the tool with the given name.
func (r *Registry) Lookup(name string) (tools.Tool, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	t, ok := r.tools[name]
	return t, ok
}

// Cached returns a fresh cached result for key.
func (r *Registry) Cached(key string) (tools.Response, bool) {
	r.cache.mu.Lock()
	defer r.cache.mu.Unlock()
	e, ok := r.cache.entries[key]
	if !ok || time.Now().After(e.expires) {
		return tools.Response{}, false
	}
	return e.resp, true
}

// Store caches resp as the result of key, produced by the named tool.
func (r *Registry) Store(key, tool string, resp tools.Response) {
	r.cache.mu.Lock()
	defer r.cache.mu.Unlock()
	r.cache.entries[key] = cachedResult{tool: tool, resp: resp, expires: time.Now().Add(cacheTTL)}
}

// PruneCache drops expired entries and entries of tools that are no longer
// registered.
func (r *Registry) PruneCache() {
	now := time.Now()
	r.cache.mu.Lock()
	defer r.cache.mu.Unlock()
	for key, e := range r.cache.entries {
		r.mu.RLock()
		_, registered := r.tools[e.tool]
		r.mu.RUnlock()
		if !registered || now.After(e.expires) {
			delete(r.cache.entries, key)
		}
	}
}

// PruneCacheSafe is PruneCache taking the two locks in the same order as
// Register (registry, then cache), so the two can never wait on each other.
func (r *Registry) PruneCacheSafe() {
	now := time.Now()
	r.mu.RLock()
	defer r.mu.RUnlock()
	r.cache.mu.Lock()
	defer r.cache.mu.Unlock()
	for key, e := range r.cache.entries {
		if _, registered := r.tools[e.tool]; !registered || now.After(e.expires) {
			delete(r.cache.entries, key)
		}
	}
}
