// Package client runs a read loop per client; Stop ends it and waits for it.
package client

import "sync"

type Client struct {
	events chan string
	quit   chan struct{}
	wg     sync.WaitGroup
}

func (c *Client) Start() {
	c.wg.Add(1)
	go c.run()
}

func (c *Client) run() {
	defer c.wg.Done()
	for {
		select {
		case e := <-c.events:
			c.handle(e)
		case <-c.quit:
			return
		}
	}
}

func (c *Client) handle(e string) {
	if e == "eof" {
		go c.Stop() // Stop waits for run, so it runs on another goroutine
	}
}

// Stop ends the read loop and waits for it.
func (c *Client) Stop() {
	close(c.quit)
	c.wg.Wait()
}

// Session reports errors through a func field; the loop only asks to be closed.
type Session struct {
	frames  chan []byte
	closing chan struct{}
	done    chan struct{}
	onError func(error)
}

func NewSession() *Session {
	s := &Session{frames: make(chan []byte), closing: make(chan struct{}), done: make(chan struct{})}
	s.onError = func(error) { go s.shutdown() }
	go s.serve()
	return s
}

func (s *Session) serve() {
	defer close(s.done)
	for {
		select {
		case f := <-s.frames:
			if len(f) == 0 {
				s.onError(nil)
			}
		case <-s.closing:
			return
		}
	}
}

func (s *Session) shutdown() {
	close(s.closing)
	<-s.done
}
