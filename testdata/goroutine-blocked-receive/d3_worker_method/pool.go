package pool

type Pool struct{ out chan int }

func (p *Pool) worker(jobs chan int) {
	for j := range jobs {
		p.out <- j
	}
}

// Run hands the jobs to its workers and forgets to close the queue.
func (p *Pool) Run(items []int) {
	jobs := make(chan int)
	for i := 0; i < 4; i++ {
		go p.worker(jobs) // want `goroutine started at line 15 ranges over jobs, which Run never closes`
	}
	for _, it := range items {
		jobs <- it
	}
}
