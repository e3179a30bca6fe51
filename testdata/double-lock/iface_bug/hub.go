package hub

import "sync"

type Listener interface{ Changed() }

type Hub struct {
	mu        sync.Mutex
	listeners []Listener
	version   int
}

type auditor struct{ h *Hub }

func (a auditor) Changed() { _ = a.h.Version() } // re-enters Hub through the interface

func (h *Hub) Version() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.version
}

func (h *Hub) Bump() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.version++
	for _, l := range h.listeners {
		l.Changed() // want `Hub.Bump holds h.mu \(locked at line 24\) and calls auditor.Changed → Hub.Version, which locks h.mu again at line 18`
	}
}
