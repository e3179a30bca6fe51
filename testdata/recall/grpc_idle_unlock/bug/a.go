// Package idle: a channel that can be put to sleep, dropping its peers.
package idle

import (
	"errors"
	"log"
	"sync"
)

var errClosing = errors.New("channel is closing")

type mode int

const (
	active mode = iota
	sleeping
)

type peer struct{ addr string }

func (p *peer) shutdown() {}

type Channel struct {
	mu    sync.Mutex
	peers map[string]*peer // nil once the channel is closed
	state mode
}

// GoIdle drops every peer and marks the channel as sleeping.
func (c *Channel) GoIdle() error {
	c.mu.Lock() // want "c.mu.Lock.* is still held"
	if c.peers == nil {
		c.mu.Unlock()
		return errClosing
	}
	if c.state != active {
		log.Printf("asked to sleep while in mode %d", c.state)
		return nil
	}
	old := c.peers
	c.peers = make(map[string]*peer)
	c.state = sleeping
	c.mu.Unlock()

	go func() {
		for _, p := range old {
			p.shutdown()
		}
	}()
	return nil
}
