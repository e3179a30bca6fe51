// Package tools wraps slow calls with timeouts and fans requests out.
package tools

import (
	"context"
	"errors"
	"fmt"
	"time"
)

type result struct {
	val string
	err error
}

func slow(ctx context.Context, q string) (string, error) { return q, nil }

// RunWithTimeout leaks its goroutine when the timeout wins.
func RunWithTimeout(ctx context.Context, q string, d time.Duration) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	resultChan := make(chan result)
	go func() {
		v, err := slow(ctx, q)
		resultChan <- result{v, err} // want `goroutine started at line 23 sends on unbuffered resultChan \(line 25\); RunWithTimeout returns at line 29 when ctx is done and nobody receives`
	}()
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case r := <-resultChan:
		return r.val, r.err
	}
}

// RunWithTimeoutSafe has room for the one result.
func RunWithTimeoutSafe(ctx context.Context, q string, d time.Duration) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	resultChan := make(chan result, 1)
	go func() {
		v, err := slow(ctx, q)
		resultChan <- result{v, err}
	}()
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case r := <-resultChan:
		return r.val, r.err
	}
}

// RunWithTimer races a time.After.
func RunWithTimer(q string, d time.Duration) error {
	done := make(chan error)
	go func() {
		_, err := slow(context.Background(), q)
		done <- err // want `returns at line 61 on timeout and nobody receives`
	}()
	select {
	case <-time.After(d):
		return errors.New("timed out")
	case err := <-done:
		return err
	}
}

// RunSelectingSender sends in a select with ctx.Done, so it can always leave.
func RunSelectingSender(ctx context.Context, q string) (string, error) {
	out := make(chan string)
	go func() {
		v, _ := slow(ctx, q)
		select {
		case out <- v:
		case <-ctx.Done():
		}
	}()
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case v := <-out:
		return v, nil
	}
}

// EarlyReturn returns on a validation error after starting the goroutine.
func EarlyReturn(q string) (string, error) {
	ch := make(chan string)
	go func() {
		v, _ := slow(context.Background(), q)
		ch <- v // want `EarlyReturn returns at line 93 and nobody receives`
	}()
	if q == "" {
		return "", fmt.Errorf("empty query")
	}
	return <-ch, nil
}

// Returned hands the channel to the caller, who receives.
func Returned(q string) <-chan string {
	ch := make(chan string)
	go func() {
		v, _ := slow(context.Background(), q)
		ch <- v
	}()
	return ch
}

// Waited receives on every path.
func Waited(q string) string {
	ch := make(chan string)
	go func() {
		v, _ := slow(context.Background(), q)
		ch <- v
	}()
	return <-ch
}
