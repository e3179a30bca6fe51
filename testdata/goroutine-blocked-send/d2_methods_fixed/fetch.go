package fetch

import "context"

type Fetcher struct{ url string }

func (f *Fetcher) get() (string, error) { return f.url, nil }

// Start fetches in the background; the pages arrive on the channel it returns.
func (f *Fetcher) Start(ctx context.Context) (<-chan string, error) {
	pages := make(chan string)
	go func() {
		defer close(pages)
		for i := 0; i < 3; i++ {
			s, _ := f.get()
			select {
			case pages <- s:
			case <-ctx.Done():
				return
			}
		}
	}()
	return pages, nil
}

// Warm cancels what it does not read.
func (f *Fetcher) Warm() error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := f.Start(ctx)
	return err
}

func lookup(host string) <-chan string {
	addr := make(chan string, 1)
	go func() {
		addr <- host + ":53"
	}()
	return addr
}

func resolve(host string) <-chan string { return lookup(host) }

func Prefetch(hosts []string) {
	for _, h := range hosts {
		resolve(h)
	}
}

func check() error { return nil }

// Validate's caller keeps and receives the channel later.
func Validate() <-chan error {
	errc := make(chan error)
	go func() { errc <- check() }()
	return errc
}

func Run() error {
	errc := Validate()
	// other work
	return <-errc
}
