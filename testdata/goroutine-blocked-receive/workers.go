// Package pool runs jobs on worker goroutines.
package pool

import (
	"context"
	"sync"
)

func process(ctx context.Context, job string) string { return job }

// Run never closes jobs: the workers wait forever after the last job.
func Run(ctx context.Context, items []string) []string {
	jobs := make(chan string)
	results := make(chan string, len(items))
	for i := 0; i < 4; i++ {
		go func() {
			for job := range jobs { // want `goroutine started at line 16 ranges over jobs, which Run never closes`
				results <- process(ctx, job)
			}
		}()
	}
	for _, it := range items {
		jobs <- it
	}
	out := make([]string, 0, len(items))
	for range items {
		out = append(out, <-results)
	}
	return out
}

// RunSafe closes jobs after the last send.
func RunSafe(ctx context.Context, items []string) []string {
	jobs := make(chan string)
	results := make(chan string, len(items))
	for i := 0; i < 4; i++ {
		go func() {
			for job := range jobs {
				results <- process(ctx, job)
			}
		}()
	}
	for _, it := range items {
		jobs <- it
	}
	close(jobs)
	out := make([]string, 0, len(items))
	for range items {
		out = append(out, <-results)
	}
	return out
}

func worker(ctx context.Context, jobs <-chan string, wg *sync.WaitGroup) {
	defer wg.Done()
	for job := range jobs {
		process(ctx, job)
	}
}

// RunNamed starts named workers and forgets to close their channel.
func RunNamed(ctx context.Context, items []string) {
	jobs := make(chan string)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go worker(ctx, jobs, &wg) // want `goroutine started at line 67 ranges over jobs, which RunNamed never closes`
	}
	for _, it := range items {
		jobs <- it
	}
	wg.Wait()
}

// RunNamedSafe closes with a deferred close.
func RunNamedSafe(ctx context.Context, items []string) {
	jobs := make(chan string)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go worker(ctx, jobs, &wg)
	}
	func() {
		defer close(jobs)
		for _, it := range items {
			jobs <- it
		}
	}()
	wg.Wait()
}

// Watch waits on a stop channel that nothing closes.
func Watch(ctx context.Context, tick func()) {
	stop := make(chan struct{})
	go func() {
		<-stop // want `goroutine started at line 95 waits on <-stop, but Watch never sends on or closes stop`
		tick()
	}()
	tick()
}

// WatchSafe closes stop when it returns.
func WatchSafe(ctx context.Context, tick func()) {
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		<-stop
		tick()
	}()
	tick()
}

// Stopper hands the channel to the caller, who closes it.
func Stopper(tick func()) chan<- struct{} {
	stop := make(chan struct{})
	go func() {
		<-stop
		tick()
	}()
	return stop
}

// Selecting waits on stop or ctx, so the context ends it.
func Selecting(ctx context.Context, tick func()) {
	stop := make(chan struct{})
	go func() {
		select {
		case <-stop:
		case <-ctx.Done():
		}
		tick()
	}()
}
