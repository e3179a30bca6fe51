package plugins

import "sync"

type Plugin struct {
	ready bool
	wake  *sync.Cond
}

type registry struct {
	sync.Mutex
	all    map[string]*Plugin
	byPrio []*Plugin
}

var reg = registry{all: map[string]*Plugin{}}

func (p *Plugin) waitReady() {
	p.wake.L.Lock()
	for !p.ready {
		p.wake.Wait()
	}
	p.wake.L.Unlock()
}

// ActivateAll wakes each plugin through a range variable: the cond is signalled.
func ActivateAll() {
	for _, p := range reg.all {
		p.wake.L.Lock()
		p.ready = true
		p.wake.Broadcast()
		p.wake.L.Unlock()
	}
}
