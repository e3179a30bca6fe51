// Package connflush: a server handles a connection under its own lock and the connection's;
// flushing drops the server's lock while it waits for the writer and takes it back, with the
// caller's connection lock still held.
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
	conn.mu.Lock()
	defer conn.mu.Unlock()
	conn.buf = append(conn.buf, b...)
	s.flushLocked() // want `Server.Handle takes s.mu at line 29 \(through Server.flushLocked\) while holding conn.mu \(locked at line 26\)`
}

// flushLocked is called with s.mu held; it releases it while the writer drains.
func (s *Server) flushLocked() {
	for s.pending > 0 {
		s.mu.Unlock()
		time.Sleep(time.Millisecond)
		s.mu.Lock()
	}
}
