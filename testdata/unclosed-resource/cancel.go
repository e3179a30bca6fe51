package store

import "context"

// startWatch hands the cancel to its caller inside the stop function it returns.
func startWatch(parent context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancel(parent)
	stop := func() {
		cancel()
	}
	return ctx, stop
}

// Watchers keeps each watch's stop function for Close to call.
type Watchers struct {
	stops map[string]func()
	last  func()
}

// watch stores the cancel in a map, inside a closure.
func (w *Watchers) watch(parent context.Context, name string) context.Context {
	ctx, cancel := context.WithCancel(parent)
	w.stops[name] = func() { cancel() }
	return ctx
}

// watchLast stores a closure variable that cancels in a field.
func (w *Watchers) watchLast(parent context.Context) context.Context {
	ctx, cancel := context.WithCancel(parent)
	stop := func() { cancel() }
	w.last = stop
	return ctx
}

// startIdle returns a stop function that never cancels: the context leaks.
func startIdle(parent context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancel(parent)
	_ = cancel
	stop := func() {}
	return ctx, stop // want "cancel from context.WithCancel at line 37 is not called"
}

// startCopied copies the stopping closure into another local and drops both: the context leaks.
func startCopied(parent context.Context) context.Context {
	ctx, cancel := context.WithCancel(parent)
	stop := func() { cancel() }
	again := stop
	_ = again
	return ctx // want "cancel from context.WithCancel at line 45 is not called"
}
