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

// notify is called by the poller for each change.
func (w *Watcher) notify(e Event) {
	select {
	case <-w.closing:
		return
	default:
	}
	w.events <- e // want `send on w.events can block forever: the select at line 33 checks <-w.closing only before this send, and Watcher.dispatch, the only receiver of Watcher.events, returns on <-w.closing \(line 25\)`
}

func (w *Watcher) poll(paths []string) {
	for _, p := range paths {
		w.notify(Event{Path: p})
	}
}

func (w *Watcher) Close() { close(w.closing) }

// Feeder runs until its context is done; push checks the context first.
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
			return
		default:
			f.items <- v // want `send on f.items can block forever: .* returns on <-ctx.Done\(\)`
		}
	}()
}
