package fixture

import (
	"sync"
)

// Picker asks every replica at once and keeps the first answer: the write behind once.Do runs
// a single time however many goroutines get there.
type Picker struct {
	replicas []string
	chosen   []string
}

func (p *Picker) Pick(ask func(string) bool) {
	var (
		wg   sync.WaitGroup
		once sync.Once
	)
	for i, addr := range p.replicas {
		wg.Add(1)
		go func(i int, addr string) {
			defer wg.Done()
			if !ask(addr) {
				return
			}
			once.Do(func() {
				p.choose(addr)
			})
			p.note(addr)
		}(i, addr)
	}
	wg.Wait()
}

func (p *Picker) choose(addr string) {
	p.chosen = append(p.chosen, addr)
}

// note is the bug twin: every goroutine of the loop appends.
func (p *Picker) note(addr string) {
	p.replicas = append(p.replicas, addr) // want `p.replicas \(slice field of Picker\) is written in note .*called from goroutines started in a loop at once.go:21`
}
