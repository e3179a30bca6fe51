// Package cache keeps its map in one goroutine; methods talk to it over channels.
package cache

import (
	"context"
	"errors"
)

var ErrClosed = errors.New("cache closed")

type op struct {
	key   string
	value string
	reply chan string
}

// Cache is served by the loop NewCache starts; Close ends it.
type Cache struct {
	gets     chan op
	sets     chan op
	buffered chan op
	closing  chan struct{}
}

func NewCache() *Cache {
	c := &Cache{
		gets:     make(chan op),
		sets:     make(chan op),
		buffered: make(chan op, 16),
		closing:  make(chan struct{}),
	}
	go c.loop()
	return c
}

func (c *Cache) loop() {
	data := map[string]string{}
	for {
		select {
		case o := <-c.gets:
			o.reply <- data[o.key]
		case o := <-c.sets:
			data[o.key] = o.value
		case o := <-c.buffered:
			data[o.key] = o.value
		case <-c.closing:
			return
		}
	}
}

// Get returns the value stored under key.
func (c *Cache) Get(key string) (string, error) {
	o := op{key: key, reply: make(chan string, 1)}
	select {
	case c.gets <- o:
	case <-c.closing:
		return "", ErrClosed
	}
	return <-o.reply, nil
}

// Set stores value under key.
func (c *Cache) Set(key, value string) error {
	select {
	case c.sets <- op{key: key, value: value}:
		return nil
	case <-c.closing:
		return ErrClosed
	}
}

// Later queues a store without waiting (the buffer is a separate question).
func (c *Cache) Later(key, value string) {
	c.buffered <- op{key: key, value: value}
}

// Close stops the loop.
func (c *Cache) Close() { close(c.closing) }

// Pump forwards events to its run loop until the context given to Start is done.
type Pump struct {
	events chan string
	ctx    context.Context
}

func Start(ctx context.Context) *Pump {
	p := &Pump{events: make(chan string), ctx: ctx}
	go p.run(ctx)
	return p
}

func (p *Pump) run(ctx context.Context) {
	for {
		select {
		case e := <-p.events:
			_ = e
		case <-ctx.Done():
			return
		}
	}
}

// Push hands an event to the run loop unless it has stopped.
func (p *Pump) Push(e string) error {
	select {
	case p.events <- e:
		return nil
	case <-p.ctx.Done():
		return p.ctx.Err()
	}
}

// prime is called only by the loop's owner before it starts the loop.
func (p *Pump) prime(e string) { p.events <- e }
