package pool

func (p *Pool) drain(stopped chan bool) {
	for j := range p.jobs {
		_ = j
	}
	stopped <- true
}

func (p *Pool) forward(done chan struct{}) { go closeLater(done) }

func closeLater(done chan struct{}) { defer close(done) }

func (p *Pool) idle(done chan struct{}) {
	<-done
}

func wait(ready chan struct{}, n int) {
	defer close(ready)
	for i := 0; i < n; i++ {
	}
}

func Sync(n int) {
	ready := make(chan struct{})
	go wait(ready, n)
	select {
	case <-ready:
	}
}
