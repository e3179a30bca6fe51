package main

import (
	"context"
	"time"
)

func work(ctx context.Context) error { return nil }

// main's daemon goroutines live as long as the process: intended.
func main() {
	go func() {
		for {
			work(context.Background())
			time.Sleep(time.Minute)
		}
	}()
	select {}
}
