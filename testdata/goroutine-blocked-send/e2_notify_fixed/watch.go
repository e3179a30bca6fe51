// Package watch hands events to a dispatcher goroutine that Close stops.
package watch

import "context"

type Event struct{ Path string }

type Watcher struct {
	events  chan Event
	closing chan struct{}
	handle  func(Event)
}

func New(handle func(Event)) *Watcher {
	w := &Watcher{events: make(chan Event), closing: make(chan struct{}), handle: handle}
	go w.dispatch()
	return w
}

func (w *Watcher) dispatch() {
	for {
		select {
		case e := <-w.events:
			w.handle(e)
		case <-w.closing:
			return
		}
	}
}

// notify is called by the poller for each change: the fast path checks closing first, and the
// send itself races with it.
func (w *Watcher) notify(e Event) {
	select {
	case <-w.closing:
		return
	default:
	}
	select {
	case w.events <- e:
	case <-w.closing:
	}
}

func (w *Watcher) poll(paths []string) {
	for _, p := range paths {
		w.notify(Event{Path: p})
	}
}

func (w *Watcher) Close() { close(w.closing) }

// Feeder runs until its context is done; push selects on the context while it sends.
type Feeder struct {
	items chan int
}

func (f *Feeder) run(ctx context.Context) {
	for {
		select {
		case <-f.items:
		case <-ctx.Done():
			return
		}
	}
}

func (f *Feeder) push(ctx context.Context, v int) {
	go func() {
		select {
		case <-ctx.Done():
		case f.items <- v:
		}
	}()
}

// Queue's loop drains what is left after stop, so a checked send still finds a receiver.
type Queue struct {
	jobs chan int
	stop chan struct{}
}

func (q *Queue) loop() {
	for {
		select {
		case <-q.jobs:
		case <-q.stop:
			for range q.jobs {
			}
			return
		}
	}
}

func (q *Queue) add(v int) {
	select {
	case <-q.stop:
		return
	default:
	}
	q.jobs <- v
}
