// Package beat sends heartbeats to a peer until stopped.
package beat

import "time"

type Heartbeat struct {
	addr string
	done chan struct{}
}

// StartHeartbeat begins beating to addr every period; Stop ends it.
func StartHeartbeat(addr string, period time.Duration) *Heartbeat {
	h := &Heartbeat{addr: addr, done: make(chan struct{})}
	go func() {
		t := time.NewTicker(period)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				h.beat()
			case <-h.done:
				return
			}
		}
	}()
	return h
}

func (h *Heartbeat) beat() {}

// Stop ends the heartbeat.
func (h *Heartbeat) Stop() { close(h.done) }

type Node struct {
	peers []string
	beats []*Heartbeat
}

// Join announces the node to its peers.
func (n *Node) Join() {
	for _, p := range n.peers {
		n.beats = append(n.beats, StartHeartbeat(p, time.Second))
	}
}

// Leave stops the heartbeats.
func (n *Node) Leave() {
	for _, b := range n.beats {
		b.Stop()
	}
}

// Ping beats once and stops at once.
func Ping(addr string) {
	h := StartHeartbeat(addr, time.Millisecond)
	h.Stop()
}
