package warm

import "sync"

type Prefetcher struct {
	group sync.WaitGroup
	pages []string
}

func fetch(string) {}

// Prefetch counts every page up front, then waits inside the loop that starts them.
func (p *Prefetcher) Prefetch() {
	p.group.Add(len(p.pages))
	for i := 0; i < len(p.pages); i++ {
		page := p.pages[i]
		go func() {
			defer p.group.Done()
			fetch(page)
		}()
		if i%8 == 7 {
			p.group.Wait() // want `p.group.Wait\(\) at line 22 is inside the loop that starts the goroutines \(go at line 17\)`
		}
	}
}

// OneAtATime counts each goroutine in the loop before waiting for it: slow, not stuck.
func OneAtATime(keys []string) {
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			warm(k)
		}()
		wg.Wait()
	}
}

// PerBatch makes a group per iteration.
func PerBatch(batches [][]string) {
	for _, b := range batches {
		var wg sync.WaitGroup
		wg.Add(len(b))
		for _, k := range b {
			go func() {
				defer wg.Done()
				warm(k)
			}()
		}
		wg.Wait()
	}
}
