package agent

import (
	"context"
	"sync"
	"time"
)

// Fetcher calls a remote service.
type Fetcher interface {
	Fetch(ctx context.Context, key string) (string, error)
}

// Cache refreshes its value in the background when it is read close to expiry.
type Cache struct {
	src      Fetcher
	base     context.Context
	mu       sync.Mutex
	val      string
	expires  time.Time
	onChange func(ctx context.Context, v string)
	wg       sync.WaitGroup
}

// Get starts refresh, whose fetch runs on a background context nobody can cancel.
func (c *Cache) Get() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Until(c.expires) < time.Minute {
		go c.refresh() // want `goroutine started at line 30 runs c.refresh, which calls c.src.Fetch \(line 36\) with context.Background\(\)`
	}
	return c.val
}

func (c *Cache) refresh() {
	v, err := c.src.Fetch(context.Background(), "key")
	if err != nil {
		return
	}
	c.mu.Lock()
	c.val, c.expires = v, time.Now().Add(time.Hour)
	c.mu.Unlock()
}

// GetBounded starts refreshBounded, which derives its context from the cache's own with a
// timeout: silent.
func (c *Cache) GetBounded() string {
	go c.refreshBounded()
	return c.val
}

func (c *Cache) refreshBounded() {
	ctx, cancel := context.WithTimeout(c.base, 10*time.Second)
	defer cancel()
	v, _ := c.src.Fetch(ctx, "key")
	c.mu.Lock()
	c.val = v
	c.mu.Unlock()
}

// Watch hands the goroutine a stop channel: it has a way to be told to stop.
func (c *Cache) Watch(stop <-chan struct{}) {
	go c.poll(stop)
}

func (c *Cache) poll(stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case <-time.After(time.Minute):
			v, _ := c.src.Fetch(context.TODO(), "key")
			c.val = v
		}
	}
}

// Notify runs a callback the caller installed: what it does is not this package's to see.
func (c *Cache) Notify(v string) {
	go c.announce(v)
}

func (c *Cache) announce(v string) {
	c.onChange(context.Background(), v)
}

// Prefetch waits for the refresher it starts: joined.
func (c *Cache) Prefetch() {
	c.wg.Add(1)
	go c.refreshJoined()
	c.wg.Wait()
}

func (c *Cache) refreshJoined() {
	defer c.wg.Done()
	v, _ := c.src.Fetch(context.Background(), "key")
	c.val = v
}

// Schedule starts a function whose background work sits in a literal it hands to a timer:
// only the function's own statements count.
func (c *Cache) Schedule() {
	go c.later()
}

func (c *Cache) later() {
	time.AfterFunc(time.Minute, func() {
		_, _ = c.src.Fetch(context.Background(), "key")
	})
}
