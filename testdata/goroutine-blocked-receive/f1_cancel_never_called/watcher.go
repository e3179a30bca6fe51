package watcher

import "context"

type Watcher struct {
	cancel context.CancelFunc
	events chan string
}

func NewWatcher(parent context.Context) *Watcher {
	ctx, cancel := context.WithCancel(parent)
	w := &Watcher{cancel: cancel, events: make(chan string, 8)}
	go w.run(ctx)
	return w
}

func (w *Watcher) run(ctx context.Context) {
	<-ctx.Done() // want `<-ctx.Done\(\) waits for a cancel nobody calls: ctx comes from context.WithCancel in NewWatcher \(line 11\), whose cancel is kept in Watcher.cancel and called nowhere in the package`
	close(w.events)
}
