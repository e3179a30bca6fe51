// Package calleekeeps has a callee entered with a lock held that keeps it while taking another.
package calleekeeps

import "sync"

type Server struct {
	mu    sync.Mutex
	peers map[*Peer]bool
}

type Peer struct {
	mu  sync.Mutex
	srv *Server
}

// greet keeps p.mu while it takes srv.mu when fail is true.
func (p *Peer) greet(fail bool) {
	if fail {
		p.srv.mu.Lock()
		delete(p.srv.peers, p)
		p.srv.mu.Unlock()
	}
}

func (s *Server) join(p *Peer) {
	p.mu.Lock()
	p.greet(true)
	p.mu.Unlock()
}

// greet(false) never takes srv.mu: no order here.
func (s *Server) probe(p *Peer) {
	p.mu.Lock()
	p.greet(false)
	p.mu.Unlock()
}

// auth takes s.mu then p.mu, join p.mu then s.mu (through greet): AB-BA.
func (s *Server) auth(p *Peer) {
	s.mu.Lock()
	p.mu.Lock() // want `Server.auth takes p.mu at line 41 while holding s.mu \(locked at line 40\); Server.join takes them in the opposite order \(p.mu at line 26, then p.srv.mu at line 27 \(through Peer.greet, with fail = true\)\)`
	p.mu.Unlock()
	s.mu.Unlock()
}
