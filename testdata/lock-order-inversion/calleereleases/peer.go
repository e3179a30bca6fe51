package calleereleases

// greet is entered with p.mu held; it releases it around the server's lock and takes it back.
func (p *Peer) greet(fail bool) {
	p.mu.Unlock()
	if fail {
		p.srv.mu.Lock()
		delete(p.srv.peers, p)
		p.srv.mu.Unlock()
	}
	p.mu.Lock()
}

func (p *Peer) unlock() { p.mu.Unlock() }

// part is entered with p.mu held and drops it through unlock before the server's lock.
func (p *Peer) part() {
	p.unlock()
	p.srv.mu.Lock()
	delete(p.srv.peers, p)
	p.srv.mu.Unlock()
	p.mu.Lock()
}
