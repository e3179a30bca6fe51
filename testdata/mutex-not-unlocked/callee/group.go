// Package callee: the unlock is in a method the locking function calls, or the locked mutex is
// handed to the caller, which unlocks it.
package callee

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

// Do waits for a call already running for key, or starts one: start unlocks g.mu.
func (g *Group) Do(key string, fn func() int) int {
	g.mu.Lock()
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

// await returns with c.rmu held when the response is the one asked for: the caller owns the
// lock through the returned pointer and unlocks it after reading.
func (c *Conn) await(id int32) (lock *sync.Mutex, err error) {
	for {
		c.rmu.Lock()
		if c.next < 0 {
			c.rmu.Unlock()
			return nil, errClosed
		}
		if c.next == id {
			lock = &c.rmu
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
