// Package callee_bug: the callee keeps the caller's lock on one path, and the pointer is
// taken but never given to anyone.
package callee_bug

import (
	"errors"
	"sync"
)

type call struct {
	wg  sync.WaitGroup
	val int
}

type Group struct {
	mu    sync.Mutex
	calls map[string]*call
}

// Do waits for a call already running for key, or starts one; an empty key returns early and
// skips both ways out.
func (g *Group) Do(key string, fn func() int) int {
	g.mu.Lock() // want `g.mu.Lock\(\) at line 23 is still held at the return at line 25 in Do`
	if key == "" {
		return 0
	}
	if c, ok := g.calls[key]; ok {
		g.mu.Unlock()
		c.wg.Wait()
		return c.val
	}
	return g.start(key, fn)
}

// start is entered with g.mu held and releases it before running fn.
func (g *Group) start(key string, fn func() int) int {
	c := &call{}
	c.wg.Add(1)
	g.calls[key] = c
	g.mu.Unlock()
	c.val = fn()
	c.wg.Done()
	return c.val
}

type Conn struct {
	rmu  sync.Mutex
	next int32
}

var errClosed = errors.New("closed")

// await leaves the loop with c.rmu locked but never hands it over: lock stays nil.
func (c *Conn) await(id int32) (lock *sync.Mutex, err error) {
	for {
		c.rmu.Lock() // want `c.rmu.Lock\(\) at line 56 is still held at the return at line 66 in await`
		if c.next < 0 {
			c.rmu.Unlock()
			return nil, errClosed
		}
		if c.next == id {
			break
		}
		c.rmu.Unlock()
	}
	return lock, nil
}

// Read unlocks what await handed it.
func (c *Conn) Read(id int32) error {
	lock, err := c.await(id)
	if err != nil {
		return err
	}
	defer lock.Unlock()
	c.next++
	return nil
}
