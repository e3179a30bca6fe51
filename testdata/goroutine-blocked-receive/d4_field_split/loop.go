// Package flusher: the range over a field channel in loop.go, the type in types.go.
package flusher

func write(string) {}

func (f *Flusher) run() {
	for line := range f.lines { // want `range over f.lines never ends: nothing in the package sends on or closes Flusher.lines`
		write(line)
	}
}

// Start runs the flush loop.
func (f *Flusher) Start() { go f.run() }

func (s *Signaller) wait() {
	<-s.fired // silent: Fire closes it
}

func (s *Signaller) Fire() { close(s.fired) }

func (h *Handed) wait() {
	select {
	case <-h.in: // silent: In hands the channel out
	}
}

func (h *Handed) In() chan<- int { return h.in }

func (p *Polled) poll() bool {
	select {
	case <-p.tick: // silent: a select with a default never blocks
		return true
	default:
		return false
	}
}

func (g *Given) wait() { <-g.done } // silent: the channel comes from the caller
