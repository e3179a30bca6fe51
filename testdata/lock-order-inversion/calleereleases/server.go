// Package calleereleases has callees entered with a lock held that drop it around other work.
package calleereleases

import "sync"

type Server struct {
	mu    sync.Mutex
	peers map[*Peer]bool
}

type Peer struct {
	mu  sync.Mutex
	srv *Server
}

// auth takes s.mu, then p.mu.
func (s *Server) auth(p *Peer) {
	s.mu.Lock()
	p.mu.Lock()
	p.mu.Unlock()
	s.mu.Unlock()
}

// join holds p.mu around greet, which releases it before taking srv.mu.
func (s *Server) join(p *Peer) {
	p.mu.Lock()
	p.greet(true)
	p.mu.Unlock()
}

// leave holds p.mu around part (in another file), which releases it through a helper.
func (s *Server) leave(p *Peer) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.part()
}
