// Package connflush: a server handles a connection under its own lock and the connection's;
// flushing, which drops the server's lock and takes it back, comes before the connection's lock.
package connflush

import (
	"sync"
	"time"
)

type Conn struct {
	mu  sync.Mutex
	buf []byte
}

type Server struct {
	mu      sync.Mutex
	conns   map[string]*Conn
	pending int
}

func (s *Server) Handle(id string, b []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	conn := s.conns[id]
	s.flushLocked()
	conn.mu.Lock()
	defer conn.mu.Unlock()
	conn.buf = append(conn.buf, b...)
}

// flushLocked is called with s.mu held; it releases it while the writer drains.
func (s *Server) flushLocked() {
	for s.pending > 0 {
		s.mu.Unlock()
		time.Sleep(time.Millisecond)
		s.mu.Lock()
	}
}
