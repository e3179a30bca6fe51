package sub

import "sync"

type Sub struct {
	out  chan string
	gone chan struct{}
}

type Bus struct {
	mu   sync.Mutex
	subs map[int]*Sub
}

func (b *Bus) Publish(msg string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, s := range b.subs {
		select {
		case s.out <- msg:
		case <-s.gone: // closed without taking mu
		}
	}
}

func (b *Bus) Unsubscribe(id int, s *Sub) {
	close(s.gone)
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.subs, id)
}

// Drop closes a subscriber's channel that a reader without the lock also drains: Publish has a
// waker that needs no lock.
func (b *Bus) Drop(s *Sub) {
	b.mu.Lock()
	defer b.mu.Unlock()
	close(s.out)
}

func (s *Sub) read(into []string) []string {
	for m := range s.out {
		into = append(into, m)
	}
	return into
}

func (b *Bus) Send(s *Sub, msg string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	s.out <- msg
}
