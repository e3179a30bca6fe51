// Package router runs a reader and a writer loop that hand messages to each other.
package router

type msg struct{ ack bool }

type Router struct {
	in   chan msg
	out  chan msg
	quit chan struct{}
}

func New() *Router {
	r := &Router{in: make(chan msg), out: make(chan msg), quit: make(chan struct{})}
	go r.readLoop()
	go r.writeLoop()
	return r
}

func (r *Router) readLoop() {
	for {
		select {
		case m := <-r.in:
			r.out <- m
		case <-r.quit:
			return
		}
	}
}

func (r *Router) writeLoop() {
	for {
		select {
		case m := <-r.out:
			if m.ack {
				// the ack goes out on its own goroutine, so writeLoop is back at its select
				go func() { r.in <- msg{} }()
			}
		case <-r.quit:
			return
		}
	}
}
