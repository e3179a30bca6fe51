// Package cache keeps its map in one goroutine; methods talk to it over channels.
package cache

import "context"

type op struct {
	key   string
	value string
	reply chan string
}

// Cache is served by the loop NewCache starts; Close ends it.
type Cache struct {
	gets    chan op
	sets    chan op
	closing chan struct{}
}

func NewCache() *Cache {
	c := &Cache{
		gets:    make(chan op),
		sets:    make(chan op),
		closing: make(chan struct{}),
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
		case <-c.closing:
			return
		}
	}
}

// Get returns the value stored under key.
func (c *Cache) Get(key string) string {
	o := op{key: key, reply: make(chan string, 1)}
	c.gets <- o // want `send on c.gets blocks forever once Cache.loop has returned: Cache.loop is the only receiver of Cache.gets and returns on <-c.closing \(line 37\)`
	return <-o.reply
}

// Set stores value under key.
func (c *Cache) Set(key, value string) {
	c.sets <- op{key: key, value: value} // want `send on c.sets blocks forever once Cache.loop`
}

// Close stops the loop.
func (c *Cache) Close() { close(c.closing) }

// Pump forwards events to its run loop until the context given to Start is done.
type Pump struct {
	events chan string
}

func Start(ctx context.Context) *Pump {
	p := &Pump{events: make(chan string)}
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

// Push hands an event to the run loop.
func (p *Pump) Push(e string) {
	p.events <- e // want `send on p.events blocks forever once Pump.run has returned: .* returns on <-ctx.Done\(\)`
}
