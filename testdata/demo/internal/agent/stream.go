package agent

import (
	"context"
	"log/slog"
	"strings"
	"time"
)

// Collect reads a model's streamed tokens until the stream ends, ctx is done
// or no token arrives for idle, and returns the text received so far. onIdle
// is called when the stream stalls, typically to cancel the request.
func Collect(ctx context.Context, tokens <-chan string, idle time.Duration, onIdle func()) string {
	var b strings.Builder
	for {
		select {
		case <-ctx.Done():
			return b.String()
		case tok, ok := <-tokens:
			if !ok {
				return b.String()
			}
			b.WriteString(tok)
		case <-time.After(idle):
			slog.Warn("model stream stalled", "idle", idle)
			onIdle()
			return b.String()
		}
	}
}

// CollectSafe is Collect with one timer reset on every token, rather than a
// new timer per token that lives on until it fires.
func CollectSafe(ctx context.Context, tokens <-chan string, idle time.Duration, onIdle func()) string {
	var b strings.Builder
	timer := time.NewTimer(idle)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return b.String()
		case tok, ok := <-tokens:
			if !ok {
				return b.String()
			}
			b.WriteString(tok)
			if !timer.Stop() {
				<-timer.C
			}
			timer.Reset(idle)
		case <-timer.C:
			slog.Warn("model stream stalled", "idle", idle)
			onIdle()
			return b.String()
		}
	}
}

// Heartbeat calls beat every interval until ctx is done.
func Heartbeat(ctx context.Context, interval time.Duration, beat func(time.Time)) {
	go func() {
		ticker := time.NewTicker(interval)
		defer ticker.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case t := <-ticker.C:
				beat(t)
			}
		}
	}()
}
