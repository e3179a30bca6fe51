// Package outer: channels assigned with `=` to a variable the function does not declare (a
// package variable, or one of the enclosing function) are shared with code out of sight.
package outer

import "sync"

var started chan struct{}

type Service struct{ wg sync.WaitGroup }

// Run makes the package's channel; another method closes it.
func (s *Service) Run() {
	started = make(chan struct{})
	go func() {
		<-started
	}()
	s.markStarted()
}

func (s *Service) markStarted() { close(started) }

// Watch assigns a channel its enclosing function declared: the outer function closes it.
func Watch() {
	var stop chan struct{}
	start := func() {
		stop = make(chan struct{})
		go func() {
			<-stop
		}()
	}
	start()
	close(stop)
}

// Forgotten declares its channel itself and never closes it: still reported.
func Forgotten() {
	var quit chan struct{}
	quit = make(chan struct{})
	go func() {
		<-quit // want `goroutine started at line 39 waits on <-quit, but Forgotten never sends on or closes quit`
	}()
}
