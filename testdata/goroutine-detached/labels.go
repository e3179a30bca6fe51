package agent

import (
	"context"
	"runtime/pprof"
)

// Labelled only labels the goroutine with the background context.
func (d *Delegator) Labelled() {
	ctx := context.Background()
	go func() {
		pprof.SetGoroutineLabels(ctx)
	}()
}
