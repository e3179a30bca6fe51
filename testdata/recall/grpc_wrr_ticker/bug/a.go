// Package wrr: a weighted picker that recomputes its schedule on a timer.
package wrr

import (
	"context"
	"sync/atomic"
	"time"
)

type picker struct {
	period   time.Duration
	backends []string
	epoch    atomic.Uint64
}

func (p *picker) rebuild() { p.epoch.Add(1) }

// run rebuilds the schedule every period until ctx ends; a new picker
// replaces the old one on every config update, cancelling its ctx.
func (p *picker) run(ctx context.Context) {
	p.rebuild()
	if len(p.backends) < 2 {
		return // a single backend needs no weights
	}
	go func() {
		tick := time.NewTicker(p.period)
		for {
			select {
			case <-ctx.Done():
				return // want "tick.* not stopped"
			case <-tick.C:
				p.rebuild()
			}
		}
	}()
}
