package session

import (
	"context"
	"sync"
)

// EventKind says what happened to a session.
type EventKind int

// The session events.
const (
	EventCreated EventKind = iota
	EventUpdated
	EventDeleted
)

var eventNames = [...]string{"created", "updated", "deleted"}

// String returns the event name used on the wire.
func (k EventKind) String() string { return eventNames[k] }

// Event is one change to a session.
type Event struct {
	Kind    EventKind
	Session Session
}

// Broker fans session events out to subscribers. A subscriber that does not
// keep up misses events rather than stalling the publisher.
type Broker struct {
	mu     sync.RWMutex
	subs   map[chan Event]struct{}
	closed bool
}

// NewBroker returns a Broker with no subscribers.
func NewBroker() *Broker {
	return &Broker{subs: make(map[chan Event]struct{})}
}

// Subscribe returns a channel of events that is closed when ctx is done or
// the broker is closed.
func (b *Broker) Subscribe(ctx context.Context) <-chan Event {
	ch := make(chan Event, 64)

	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		close(ch)
		return ch
	}
	b.subs[ch] = struct{}{}

	go func() {
		<-ctx.Done()
		b.mu.Lock()
		defer b.mu.Unlock()
		b.removeLocked(ch)
	}()
	return ch
}

// Publish sends an event to every subscriber that has room for it.
func (b *Broker) Publish(kind EventKind, s Session) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	for ch := range b.subs {
		select {
		case ch <- Event{Kind: kind, Session: s}:
		default:
		}
	}
}

// Close closes every subscriber's channel.
func (b *Broker) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	for ch := range b.subs {
		b.removeLocked(ch)
	}
}

// removeLocked unsubscribes ch. The caller holds b.mu.
func (b *Broker) removeLocked(ch chan Event) {
	if _, ok := b.subs[ch]; ok {
		delete(b.subs, ch)
		close(ch)
	}
}
