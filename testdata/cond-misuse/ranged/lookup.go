package plugins

import "sync"

type job struct {
	mu   sync.Mutex
	done bool
	cv   *sync.Cond
}

type table struct {
	mu   sync.Mutex
	jobs map[int]*job
}

func (j *job) await() {
	j.mu.Lock()
	for !j.done {
		j.cv.Wait()
	}
	j.mu.Unlock()
}

// finish signals through a map lookup's value.
func (t *table) finish(id int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if j, ok := t.jobs[id]; ok {
		j.mu.Lock()
		j.done = true
		j.cv.Signal()
		j.mu.Unlock()
	}
}
