package pool

func (p *Pool) drain(stopped chan bool) {
	for j := range p.jobs {
		_ = j
	}
	// forgets: stopped <- true
}

func wait(ready chan struct{}, n int) {
	for i := 0; i < n; i++ {
		<-ready
	}
}

// Sync waits for a signal only wait could give, and wait only waits itself.
func Sync(n int) {
	ready := make(chan struct{})
	go wait(ready, n) // want `goroutine started at line 19 waits on <-ready, but Sync never sends on or closes ready`
	select {
	case <-ready: // want `<-ready blocks forever: ready is handed only to wait \(line 19\), which never sends on or closes it`
	}
}
