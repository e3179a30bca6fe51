// Package stream reads tokens with an idle timeout.
package stream

import (
	"context"
	"strings"
	"time"
)

// Collect makes a timer per token.
func Collect(ctx context.Context, tokens <-chan string, idle time.Duration) string {
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
		case <-time.After(idle): // want `time.After in the loop at line 13 makes a new timer every iteration; .*go 1.21 in go.mod`
			return b.String()
		}
	}
}

// CollectAssigned assigns the timer channel first.
func CollectAssigned(tokens <-chan string, idle time.Duration) int {
	n := 0
	for {
		timeout := time.After(idle) // want `time.After in the loop at line 31`
		select {
		case <-tokens:
			n++
		case <-timeout:
			return n
		}
	}
}

// CollectSafe reuses one timer.
func CollectSafe(ctx context.Context, tokens <-chan string, idle time.Duration) string {
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
			timer.Reset(idle)
		case <-timer.C:
			return b.String()
		}
	}
}

// Retry sleeps with time.After: the timer always fires.
func Retry(f func() error, tries int) error {
	var err error
	for i := 0; i < tries; i++ {
		if err = f(); err == nil {
			return nil
		}
		<-time.After(time.Second)
	}
	return err
}

// Once is outside any loop.
func Once(c <-chan int, d time.Duration) int {
	select {
	case v := <-c:
		return v
	case <-time.After(d):
		return 0
	}
}
