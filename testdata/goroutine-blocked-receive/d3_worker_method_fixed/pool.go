package pool

type Pool struct{ out chan int }

func (p *Pool) worker(jobs chan int) {
	for j := range jobs {
		p.out <- j
	}
}

// Run closes the queue once every job is handed out.
func (p *Pool) Run(items []int) {
	jobs := make(chan int)
	defer close(jobs)
	for i := 0; i < 4; i++ {
		go p.worker(jobs)
	}
	for _, it := range items {
		jobs <- it
	}
}

// Other is a different type's method of the same name: not followed.
type Other struct{}

func (o *Other) Feed(q chan int) {
	go o.worker(q)
}

func (o *Other) worker(q chan int) {
	for range q {
	}
}
