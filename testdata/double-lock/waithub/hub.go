package hub

import "sync"

type Hub struct {
	mu     sync.Mutex
	events chan string
	quit   chan struct{}
	buf    chan string
	log    []string
}

func NewHub() *Hub {
	h := &Hub{events: make(chan string), quit: make(chan struct{}), buf: make(chan string, 16)}
	go func() {
		for e := range h.events {
			h.record(e) // locks h.mu, in record.go
		}
	}()
	go func() {
		for e := range h.buf {
			h.record(e)
		}
	}()
	return h
}

// Emit holds h.mu while the goroutine that receives needs it between two receives.
func (h *Hub) Emit(e string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.events <- e // want "Hub.Emit sends on h.events while holding h.mu .*the goroutine in NewHub \\(line 15\\), the only one that receives from it, does so at line 16 between two of them"
}

// EmitSafe sends after unlocking.
func (h *Hub) EmitSafe(e string) {
	h.mu.Lock()
	h.log = append(h.log, "emit")
	h.mu.Unlock()
	h.events <- e
}

// EmitOrQuit has another way out.
func (h *Hub) EmitOrQuit(e string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	select {
	case h.events <- e:
	case <-h.quit:
	}
}

// Queue sends on a buffered channel.
func (h *Hub) Queue(e string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.buf <- e
}

type want struct {
	mu     sync.Mutex
	done   bool
	result chan int
}

func newWant() *want { return &want{result: make(chan int, 1)} }

func (w *want) deliver(v int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.done = true
	w.result <- v
}

// cancel receives under the lock the sender takes, but from a buffered channel that the send
// filled before done was set: not a sure deadlock (blocking-under-lock's to judge).
func (w *want) cancel() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done {
		return <-w.result
	}
	return 0
}
