// Package march: walk a directory tree with a pool of workers.
package march

import (
	"context"
	"sync"
)

type job struct{ dir string }

type March struct {
	Ctx     context.Context // may descend from context.Background and never be cancelled
	Workers int
	List    func(job) []job // the sub-directories of a job
}

// Run walks the tree from the root until every directory was listed.
func (m *March) Run() {
	in := make(chan job, m.Workers)
	var pending, workers sync.WaitGroup
	for i := 0; i < m.Workers; i++ {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for j := range in {
				children := m.List(j)
				pending.Add(len(children))
				go func() {
					for _, c := range children {
						select {
						case <-m.Ctx.Done():
							pending.Done() // drop the job, we are finishing
						case in <- c:
						}
					}
				}()
				pending.Done()
			}
		}()
	}
	pending.Add(1)
	in <- job{dir: ""}
	finished := make(chan struct{})
	go func() {
		// On cancellation, discard queued jobs so their senders unblock.
		select {
		case <-m.Ctx.Done():
			for range in {
				pending.Done()
			}
		case <-finished:
		}
	}()
	pending.Wait()
	close(finished)
	close(in)
	workers.Wait()
}
