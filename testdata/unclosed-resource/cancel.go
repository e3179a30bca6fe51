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

// Job is a running job; Stop cancels its context.
type Job struct {
	ID   string
	Stop func()
}

// newJob keeps the cancel in the job it returns, inside the stop closure of a struct literal.
func newJob(parent context.Context, id string) (*Job, context.Context) {
	ctx, cancel := context.WithCancel(parent)
	stop := func() {
		cancel()
		<-ctx.Done()
	}
	job := &Job{ID: id, Stop: stop}
	return job, ctx
}

// newJobInline writes the stopping closure into the literal itself.
func newJobInline(parent context.Context, id string) (*Job, context.Context) {
	ctx, cancel := context.WithCancel(parent)
	return &Job{ID: id, Stop: func() { cancel() }}, ctx
}

// newJobs keeps the stop closure in a slice literal.
func newJobs(parent context.Context) ([]func(), context.Context) {
	ctx, cancel := context.WithCancel(parent)
	stop := func() { cancel() }
	return []func(){stop}, ctx
}

// newJobIdle stores a closure that never cancels: the context leaks.
func newJobIdle(parent context.Context, id string) (*Job, context.Context) {
	ctx, cancel := context.WithCancel(parent)
	_ = cancel
	stop := func() { <-ctx.Done() }
	job := &Job{ID: id, Stop: stop}
	return job, ctx // want "cancel from context.WithCancel at line 84 is not called"
}
