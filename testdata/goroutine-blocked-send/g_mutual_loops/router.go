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
				// the reader may be blocked on r.out right now
				r.in <- msg{} // want `send on r.in can block forever: Router.readLoop, its only receiver, may at the same moment be blocked sending on r.out \(line 23\), which only Router.writeLoop receives`
			}
		case <-r.quit:
			return
		}
	}
}
