// Package ctx loses a context's cancel function (go vet's lostcancel).
package ctx

import (
	"context"
	"time"
)

// Wait waits a second or until the parent is done.
func Wait(parent context.Context) error {
	ctx, _ := context.WithTimeout(parent, time.Second)
	<-ctx.Done()
	return ctx.Err()
}
