package lockbeforego

import "sync"

type Set struct {
	sync.Mutex
	n int
}

func (s *Set) cleanup() {
	s.Lock()
	s.n = 0
	s.Unlock()
}

// Check took and released the lock before the goroutine exists: it holds nothing at the receive.
func Check(s *Set) {
	s.cleanup()
	done := make(chan bool)
	go func() {
		s.Lock()
		defer s.Unlock()
		done <- true
	}()
	<-done
}

// CheckLate takes the lock after starting the goroutine, before receiving: the goroutine may be
// blocked sending while it holds the lock Check waits for.
func CheckLate(s *Set) {
	done := make(chan bool)
	go func() {
		s.Lock()
		defer s.Unlock()
		done <- true // want "the goroutine in CheckLate \\(line 32\\) sends on done while holding s.Mutex .*CheckLate receives from it \\(line 38\\) only after taking s.Mutex"
	}()
	s.cleanup()
	<-done
}
