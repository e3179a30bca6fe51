// Package embed: an embedded server that reports listener failures on errc.
package embed

import (
	"log"
	"net"
	"sync"
)

type Handler interface {
	Serve(l net.Listener) error
}

type Server struct {
	h     Handler
	lns   []net.Listener
	wg    sync.WaitGroup
	stopc chan struct{}
	errc  chan error
}

func (s *Server) serve() {
	for _, ln := range s.lns {
		s.wg.Add(1)
		go func(l net.Listener) {
			defer s.wg.Done()
			s.report(s.h.Serve(l))
		}(ln)
	}
}

// report forwards a serving error unless the server is stopping.
func (s *Server) report(err error) {
	if err != nil {
		log.Printf("serving failed: %v", err)
	}
	select {
	case <-s.stopc:
	case s.errc <- err:
	}
}

// Close stops serving and closes errc once no goroutine can still send on it.
func (s *Server) Close() {
	close(s.stopc)
	for _, ln := range s.lns {
		_ = ln.Close()
	}
	s.wg.Wait()
	close(s.errc)
}
