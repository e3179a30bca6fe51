package pump

import "sync"

type Pump struct {
	mu    sync.Mutex
	queue chan int
	total int
}

func NewPump() *Pump {
	p := &Pump{queue: make(chan int)}
	go p.drain()
	return p
}

// drain needs p.mu between two receives.
func (p *Pump) drain() {
	for v := range p.queue {
		p.mu.Lock()
		p.total += v
		p.mu.Unlock()
	}
}

// Push waits for drain while holding the lock drain needs.
func (p *Pump) Push(v int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.queue <- v // want "Pump.Push sends on p.queue while holding p.mu \\(locked at line 28\\), and Pump.drain, the only one that receives from it, does so at line 19 between two of them, taking Pump.mu"
}
