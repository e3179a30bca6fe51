package pool

type Pool struct{ jobs chan int }

func (p *Pool) Stop() {
	stopped := make(chan bool)
	go p.drain(stopped)
	close(p.jobs)
	<-stopped
}

// Flush hands its channel to a helper that passes it on: out of sight.
func (p *Pool) Flush() {
	done := make(chan struct{})
	go p.forward(done)
	<-done
}

// Quit waits with a way out.
func (p *Pool) Quit(quit chan struct{}) {
	done := make(chan struct{})
	go p.idle(done)
	select {
	case <-done:
	case <-quit:
	}
}
