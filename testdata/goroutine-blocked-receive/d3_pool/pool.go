package pool

type Pool struct{ jobs chan int }

// Stop closes the queue and waits for drain to report it is done.
func (p *Pool) Stop() {
	stopped := make(chan bool)
	go p.drain(stopped)
	close(p.jobs)
	<-stopped // want `<-stopped blocks forever: stopped is handed only to p.drain \(line 8\), which never sends on or closes it`
}
