package conn

type Conn struct {
	inbox           chan string
	closed, stopped chan struct{}
	onMsg           func(string)
}

func (c *Conn) dispatch() {
	defer close(c.stopped)
	for {
		select {
		case m := <-c.inbox:
			c.onMsg(m) // user callback, runs on the dispatch goroutine
		case <-c.closed:
			return
		}
	}
}

func (c *Conn) Close() { close(c.closed); <-c.stopped } // waits for dispatch to return // want `receive on c.stopped blocks forever when Conn.dispatch.s own goroutine gets here: Conn.dispatch runs close\(c.stopped\) only as it returns \(line 10\), yet on that goroutine it calls c.onMsg \(line 14\), then c.Close \(line 26\)`

func (c *Conn) Start() {
	c.onMsg = func(m string) {
		if m == "bye" {
			c.Close() // called on dispatch's own goroutine: it waits for itself
		}
	}
	go c.dispatch()
}
