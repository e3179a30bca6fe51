package restore

import "context"

func split(n int, out chan<- int) {
	for i := 0; i < n; i++ {
		out <- i // no ctx: blocks when the reader is gone // want `goroutine started at line 13 sends on ch \(buffer 4\) through split \(line 7\); Restore returns at line 19`
	}
}

func Restore(ctx context.Context, n int) error {
	ch := make(chan int, 4)
	go func() {
		defer close(ch)
		split(n, ch)
	}()
	for range ch {
		if ctx.Err() != nil {
			return ctx.Err() // leaves split blocked once the buffer fills
		}
	}
	return nil
}
