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
		c.Stop()
	}
}

// Stop ends the read loop and waits for it.
func (c *Client) Stop() {
	close(c.quit)
	c.wg.Wait() // want `c.wg.Wait\(\) waits forever when Client.run's own goroutine gets here: Client.run runs c.wg.Done\(\) only as it returns \(line 18\), yet on that goroutine it calls c.handle \(line 22\), then c.Stop \(line 31\)`
}

// Session reports errors through a func field set to one of its own methods.
type Session struct {
	frames  chan []byte
	closing chan struct{}
	done    chan struct{}
	onError func(error)
}

func NewSession() *Session {
	s := &Session{frames: make(chan []byte), closing: make(chan struct{}), done: make(chan struct{})}
	s.onError = s.shutdown
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

func (s *Session) shutdown(err error) {
	close(s.closing)
	<-s.done // want `receive on s.done blocks forever when Session.serve.s own goroutine gets here: Session.serve runs close\(s.done\) only as it returns \(line 57\), yet on that goroutine it calls s.onError \(line 62\)`
}

// Ready is closed early by the loop: waiting on it from the loop returns at once.
type Ready struct {
	ready chan struct{}
	stop  chan struct{}
	work  chan func()
}

func (r *Ready) loop() {
	close(r.ready)
	for {
		select {
		case f := <-r.work:
			f()
			r.wait()
		case <-r.stop:
			return
		}
	}
}

func (r *Ready) wait() { <-r.ready }

func (r *Ready) Start() { go r.loop() }
