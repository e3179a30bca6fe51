package wg

import "sync"

// runSafe starts fn in a goroutine that recovers from its panics.
func runSafe(fn func()) {
	go func() {
		defer func() { _ = recover() }()
		fn()
	}()
}

// process fans items out from a dispatcher goroutine: the dispatcher adds before each worker
// starts (through runSafe) and waits for them itself, so its own wg.Add is correct.
func process(items <-chan int, handle func(int)) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		var wg sync.WaitGroup
		for it := range items {
			v := it
			wg.Add(1)
			runSafe(func() {
				defer wg.Done()
				handle(v)
			})
		}
		wg.Wait()
		close(done)
	}()
	return done
}

// processLate is the bug inside a dispatcher: the worker adds for itself, so the dispatcher's
// Wait can return before a worker has started.
func processLate(items <-chan int, handle func(int)) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		var wg sync.WaitGroup
		for it := range items {
			v := it
			go func() {
				wg.Add(1) // want `wg.Add inside the goroutine it counts \(started at line 41\): wg.Wait at line 47 may return before it runs`
				defer wg.Done()
				handle(v)
			}()
		}
		wg.Wait()
		close(done)
	}()
	return done
}
