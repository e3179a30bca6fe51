package pump

import "sync"

type Pump struct {
	mu    sync.Mutex
	queue chan int
	total int
	sent  int
}

func NewPump() *Pump {
	p := &Pump{queue: make(chan int)}
	go p.drain()
	return p
}

func (p *Pump) drain() {
	for v := range p.queue {
		p.mu.Lock()
		p.total += v
		p.mu.Unlock()
	}
}

// Push sends with no lock held.
func (p *Pump) Push(v int) {
	p.mu.Lock()
	p.sent++
	p.mu.Unlock()
	p.queue <- v
}
