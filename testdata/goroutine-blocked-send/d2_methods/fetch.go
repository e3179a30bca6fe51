package fetch

import "context"

type Fetcher struct{ url string }

func (f *Fetcher) get() (string, error) { return f.url, nil }

// Start fetches in the background; the pages arrive on the channel it returns.
func (f *Fetcher) Start() (<-chan string, error) {
	pages := make(chan string)
	go func() {
		defer close(pages)
		for i := 0; i < 3; i++ {
			s, _ := f.get()
			pages <- s // want `send on pages blocks forever when the caller drops the channel Start returns: Warm \(line 24\) discards it`
		}
	}()
	return pages, nil
}

// Warm only wants the error.
func (f *Fetcher) Warm() error {
	_, err := f.Start()
	return err
}

// First keeps the channel and receives: no leak through this caller.
func (f *Fetcher) First() string {
	ch, _ := f.Start()
	return <-ch
}

func lookup(host string) <-chan string {
	addr := make(chan string)
	go func() {
		addr <- host + ":53" // want `send on addr blocks forever when the caller drops the channel lookup returns: Prefetch \(line 48\) discards it \(through resolve\)`
	}()
	return addr
}

// resolve hands lookup's channel on.
func resolve(host string) <-chan string { return lookup(host) }

// Prefetch warms a cache nobody reads.
func Prefetch(hosts []string) {
	for _, h := range hosts {
		resolve(h)
	}
}

// Watch selects on ctx: the goroutine can leave.
func Watch(ctx context.Context) <-chan int {
	ch := make(chan int)
	go func() {
		select {
		case ch <- 1:
		case <-ctx.Done():
		}
	}()
	return ch
}

func Poke(ctx context.Context) { Watch(ctx) }
