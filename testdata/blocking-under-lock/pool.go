package pool

import (
	"context"
	"sync"
	"time"
)

type Pool struct {
	mu     sync.Mutex
	jobs   chan int
	done   chan int
	active int
	wg     sync.WaitGroup
}

func New() *Pool {
	return &Pool{jobs: make(chan int), done: make(chan int, 8)}
}

// Submit sends while holding p.mu; the worker locks p.mu between two receives. Every waker
// needs the lock in its loop: double-lock reports it, this rule does not repeat it.
func (p *Pool) Submit(j int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.jobs <- j
}

// SubmitSafe releases the lock first.
func (p *Pool) SubmitSafe(j int) {
	p.mu.Lock()
	p.active++
	p.mu.Unlock()
	p.jobs <- j
}

// SubmitCtx cannot block forever: the select has a context case.
func (p *Pool) SubmitCtx(ctx context.Context, j int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case p.jobs <- j:
	case <-ctx.Done():
	}
}

func (p *Pool) worker() {
	defer p.wg.Done()
	for {
		p.mu.Lock()
		p.active++
		p.mu.Unlock()
		j := <-p.jobs
		p.done <- j
	}
}

// Finish sends on a buffered channel: it does not block.
func (p *Pool) Finish(j int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done <- j
}

func (p *Pool) Collect() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return <-p.done // want "Pool.Collect receives from p.done while holding p.mu .*: Pool.worker sends on it \\(line 54\\) only after taking p.mu"
}

// Close waits for workers while holding the lock they take first.
func (p *Pool) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.wg.Wait() // want "Pool.Close waits on p.wg while holding p.mu"
}

func (p *Pool) CloseSafe() {
	p.wg.Wait()
	p.mu.Lock()
	p.active = 0
	p.mu.Unlock()
}

// Retry sleeps while holding a lock other methods take.
func (p *Pool) Retry() {
	p.mu.Lock()
	defer p.mu.Unlock()
	time.Sleep(time.Second) // want "Pool.Retry sleeps while holding p.mu"
}

func (p *Pool) RetrySafe() {
	time.Sleep(time.Second)
	p.mu.Lock()
	p.active = 0
	p.mu.Unlock()
}

// A local channel and a goroutine sharing a local mutex.
func Run() {
	var mu sync.Mutex
	ch := make(chan int)
	go func() {
		mu.Lock()
		defer mu.Unlock()
		ch <- 1 // want "sends on ch while holding mu .* receives from it .* only after taking mu"
	}()
	mu.Lock()
	mu.Unlock()
	<-ch
}

func RunSafe() {
	var mu sync.Mutex
	ch := make(chan int)
	go func() {
		mu.Lock()
		v := 1
		mu.Unlock()
		ch <- v
	}()
	mu.Lock()
	mu.Unlock()
	<-ch
}

// A cond waited on while holding another lock.
type Queue struct {
	mu    sync.Mutex
	outer sync.Mutex
	cond  *sync.Cond
	items []int
}

func NewQueue() *Queue {
	q := &Queue{}
	q.cond = sync.NewCond(&q.mu)
	return q
}

func (q *Queue) Pop() int {
	q.outer.Lock()
	defer q.outer.Unlock()
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.cond.Wait() // want "waits on cond q.cond while holding q.outer"
	}
	return q.items[0]
}

func (q *Queue) PopSafe() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.cond.Wait()
	}
	return q.items[0]
}

func (q *Queue) Push(v int) {
	q.outer.Lock()
	defer q.outer.Unlock()
	q.mu.Lock()
	q.items = append(q.items, v)
	q.mu.Unlock()
	q.cond.Signal()
}
