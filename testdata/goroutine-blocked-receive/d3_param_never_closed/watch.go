package watch

type Client struct{ updates chan int }

func (c *Client) follow(done chan struct{}) {
	for u := range c.updates {
		_ = u
	}
	// forgets to close(done)
}

func (c *Client) Dial() {
	go func() {
		done := make(chan struct{})
		go c.follow(done)
		<-done // want `<-done blocks forever: done is handed only to c.follow \(line 15\), which never sends on or closes it`
	}()
	close(c.updates)
}
