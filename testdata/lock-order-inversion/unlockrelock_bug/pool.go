package pool

import (
	"sync"
	"time"
)

type Item struct{ mu sync.Mutex }

type Pool struct {
	sync.Mutex
	items map[string]*Item
}

func (p *Pool) Remove(key string) {
	p.Lock()
	defer p.Unlock()
	it := p.items[key]
	it.mu.Lock() // Pool then Item
	defer it.mu.Unlock()
	p.waitIdle() // want `Pool.Remove takes p.Mutex at line 21 \(through Pool.waitIdle\) while holding it.mu \(locked at line 19\)`
}

func (p *Pool) waitIdle() {
	p.Unlock()
	time.Sleep(time.Millisecond)
	p.Lock() // Item then Pool: the caller still holds it.mu
}
