package job

import "errors"

type Dialer struct{ addrs []string }

func dial(string) error { return nil }

// Dial reports a bad configuration on its result channel before anyone can read it.
func (d *Dialer) Dial() (<-chan error, error) {
	var results = make(chan error)
	for i, a := range d.addrs {
		if a == "" {
			results <- errors.New("empty address") // want `send on unbuffered results blocks forever: on the path from its make \(line 11\)`
			continue
		}
		go func(i int) { results <- dial(d.addrs[i]) }(i)
	}
	return results, nil
}

// Offer never blocks: the send is one case of a select with a default.
func Offer() chan int {
	ch := make(chan int)
	select {
	case ch <- 1:
	default:
	}
	return ch
}

// Started sends after the receiver runs.
func Started() int {
	ch := make(chan int)
	go func() { println(<-ch) }()
	ch <- 1
	return 0
}

// Handed passes the channel to a receiver before sending.
func Handed(recv func(chan int)) {
	ch := make(chan int)
	recv(ch)
	ch <- 1
}

func work(chan int) {}

// Workers shares the channel in a loop before sending: the path that skips the loop is the
// zero-workers case, not a blocked send.
func Workers(n int) {
	jobs := make(chan int)
	for i := 0; i < n; i++ {
		go work(jobs)
	}
	for i := 0; i < 10; i++ {
		jobs <- i
	}
	close(jobs)
}
