package tools

import (
	"context"
	"errors"
	"sync"

	"golang.org/x/sync/errgroup"
)

// First returns the first answer; the losers block on the unbuffered channel.
func First(ctx context.Context, qs []string) (string, error) {
	answers := make(chan result)
	for _, q := range qs {
		go func(q string) {
			v, err := slow(ctx, q)
			answers <- result{v, err} // want `goroutines started at line 15 each send on unbuffered answers \(line 17\); First returns at line 23 before receiving every value`
		}(q)
	}
	for range qs {
		r := <-answers
		if r.err == nil {
			return r.val, nil
		}
	}
	return "", errors.New("no answer")
}

// FirstSafe has a slot per sender.
func FirstSafe(ctx context.Context, qs []string) (string, error) {
	answers := make(chan result, len(qs))
	for _, q := range qs {
		go func(q string) {
			v, err := slow(ctx, q)
			answers <- result{v, err}
		}(q)
	}
	for range qs {
		r := <-answers
		if r.err == nil {
			return r.val, nil
		}
	}
	return "", errors.New("no answer")
}

// All receives every answer.
func All(ctx context.Context, qs []string) []string {
	answers := make(chan string)
	for _, q := range qs {
		go func(q string) {
			v, _ := slow(ctx, q)
			answers <- v
		}(q)
	}
	var out []string
	for range qs {
		out = append(out, <-answers)
	}
	return out
}

// FailFast returns on the first error while other workers still send.
func FailFast(ctx context.Context, qs []string) error {
	errc := make(chan error)
	for _, q := range qs {
		go func(q string) {
			_, err := slow(ctx, q)
			errc <- err // want `FailFast returns at line 74 before receiving every value`
		}(q)
	}
	for range qs {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// Producer sends many values; the consumer stops at the first bad one.
func Producer(items []string) error {
	ch := make(chan string)
	go func() {
		for _, it := range items {
			ch <- it // want `goroutine started at line 83 sends on unbuffered ch \(line 85\); Producer returns at line 91 before receiving`
		}
		close(ch)
	}()
	for it := range ch {
		if it == "" {
			return errors.New("empty item")
		}
	}
	return nil
}

// Closer collects with a WaitGroup and a closer goroutine, and reads everything.
func Closer(ctx context.Context, qs []string) []string {
	out := make(chan string)
	var wg sync.WaitGroup
	for _, q := range qs {
		wg.Add(1)
		go func(q string) {
			defer wg.Done()
			v, _ := slow(ctx, q)
			out <- v
		}(q)
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	var res []string
	for v := range out {
		res = append(res, v)
	}
	return res
}

// Group uses errgroup: no channel at all.
func Group(ctx context.Context, qs []string) error {
	g, ctx := errgroup.WithContext(ctx)
	for _, q := range qs {
		g.Go(func() error {
			_, err := slow(ctx, q)
			return err
		})
	}
	return g.Wait()
}

// ReadUntilError sends once from its read loop (the send is followed by return).
func ReadUntilError(ctx context.Context, read func() error) error {
	errCh := make(chan error, 1)
	go func() {
		for {
			if err := read(); err != nil {
				errCh <- err
				return
			}
		}
	}()
	select {
	case err := <-errCh:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// PerIteration makes one channel per goroutine inside the loop.
func PerIteration(qs []string) error {
	for _, q := range qs {
		errc := make(chan error, 1)
		go func() {
			_, err := slow(context.Background(), q)
			errc <- err
		}()
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// Pair starts exactly two senders and receives twice.
func Pair(q string) {
	c := make(chan bool, 2)
	for p := 0; p < 2; p++ {
		go func() {
			slow(context.Background(), q)
			c <- true
		}()
	}
	<-c
	<-c
}

// CountDown returns only when every worker has reported.
func CountDown(ctx context.Context, qs []string) error {
	errC := make(chan error)
	for _, q := range qs {
		go func(q string) {
			_, err := slow(ctx, q)
			errC <- err
		}(q)
	}
	active := len(qs)
	var first error
	for {
		err := <-errC
		if err != nil && first == nil {
			first = err
		}
		active--
		if active == 0 {
			return first
		}
	}
}
