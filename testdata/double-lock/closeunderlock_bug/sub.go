package sub

import "sync"

type Sub struct{ out chan string }

type Bus struct {
	mu   sync.Mutex
	subs map[int]*Sub
}

// Publish blocks on a subscriber that stopped reading, with mu held.
func (b *Bus) Publish(msg string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, s := range b.subs {
		s.out <- msg // want "Bus.Publish sends on s.out while holding b.mu .*Bus.Unsubscribe, the only one that closes it, does so at line 27 while holding Bus.mu"
	}
}

// Unsubscribe is the only way to wake Publish, and it needs mu first.
func (b *Bus) Unsubscribe(id int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if s, ok := b.subs[id]; ok {
		delete(b.subs, id)
		close(s.out)
	}
}
