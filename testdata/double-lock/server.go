package server

import "sync"

type Server struct {
	mu    sync.Mutex
	conns map[string]int
	state sync.RWMutex
	n     int
}

// Stop holds s.mu and calls a helper that locks it again.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closeConns() // want "Server.Stop holds s.mu \\(locked at line 14\\) and calls Server.closeConns, which locks s.mu again at line 35"
}

// StopSafe calls the Locked variant.
func (s *Server) StopSafe() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closeConnsLocked()
}

// StopUnlockFirst releases the lock before calling the helper.
func (s *Server) StopUnlockFirst() {
	s.mu.Lock()
	s.n++
	s.mu.Unlock()
	s.closeConns()
}

func (s *Server) closeConns() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closeConnsLocked()
}

func (s *Server) closeConnsLocked() {
	for k := range s.conns {
		delete(s.conns, k)
	}
}

// Direct double lock on one path.
func (s *Server) Reset() {
	s.mu.Lock()
	if s.n > 0 {
		s.mu.Lock() // want "Server.Reset locks s.mu again while it holds it \\(locked at line 48\\)"
	}
	s.mu.Unlock()
}

// Two levels deep.
func (s *Server) Drain() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.flush() // want "calls Server.flush → Server.closeConns, which locks s.mu again"
}

func (s *Server) flush() {
	s.n = 0
	s.closeConns()
}

// Lock and unlock in separate methods, used as a pair.
func (s *Server) lock()   { s.mu.Lock() }
func (s *Server) unlock() { s.mu.Unlock() }

func (s *Server) Count() int {
	s.lock()
	defer s.unlock()
	return s.n
}

func (s *Server) Bump() {
	s.lock()
	s.n++
	s.unlock()
	s.closeConns()
}

func (s *Server) BumpTwice() {
	s.lock()
	s.closeConns() // want "Server.BumpTwice holds s.mu .* and calls Server.closeConns"
	s.unlock()
}

// Unlock around a slow call inside a helper the caller calls with the lock held.
func (s *Server) waitLocked() {
	s.mu.Unlock()
	s.slow()
	s.mu.Lock()
}

func (s *Server) slow() {}

func (s *Server) Wait() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waitLocked()
}

// Recursive read locking while writers exist.
func (s *Server) Get() int {
	s.state.RLock()
	defer s.state.RUnlock()
	return s.get2() // want "Server.Get holds s.state .* calls Server.get2, which read-locks s.state again .*recursive read locking"
}

func (s *Server) get2() int {
	s.state.RLock()
	defer s.state.RUnlock()
	return s.n
}

func (s *Server) Set(n int) {
	s.state.Lock()
	s.n = n
	s.state.Unlock()
}

// Two different servers: two locks.
func Merge(a, b *Server) {
	a.mu.Lock()
	defer a.mu.Unlock()
	b.closeConns()
}

func MergeSelf(a *Server) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.closeConns() // want "MergeSelf holds a.mu .* calls Server.closeConns"
}

// A goroutine started under the lock runs on its own.
func (s *Server) Async() {
	s.mu.Lock()
	defer s.mu.Unlock()
	go s.closeConns()
}

var registryMu sync.Mutex

func register() {
	registryMu.Lock()
	defer registryMu.Unlock()
	lookup() // want "register holds registryMu .* calls lookup, which locks registryMu again"
}

func lookup() {
	registryMu.Lock()
	registryMu.Unlock()
}

// Embedded mutex.
type Counter struct {
	sync.Mutex
	n int
}

func (c *Counter) Inc() {
	c.Lock()
	defer c.Unlock()
	c.n++
	c.Lock() // want "Counter.Inc locks c.Mutex again"
}
