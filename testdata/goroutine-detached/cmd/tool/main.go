// Command tool's goroutines live as long as the process: a command is not reported.
package main

import "context"

type client struct{}

func (client) Fetch(ctx context.Context) error { return nil }

func run(c client) {
	go func() {
		_ = c.Fetch(context.Background())
	}()
}

func main() {
	run(client{})
	select {}
}
