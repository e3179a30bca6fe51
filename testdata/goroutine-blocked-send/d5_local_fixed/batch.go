package batch

func consume(ch chan int) {
	for v := range ch {
		_ = v
	}
}

// Seed fits its buffer.
func Seed() {
	ch := make(chan int, 3)
	ch <- 1
	ch <- 2
	ch <- 3
	go consume(ch)
	close(ch)
}

// Stream starts its consumer first.
func Stream() {
	ch := make(chan int, 1)
	go consume(ch)
	ch <- 1
	ch <- 2
	close(ch)
}

// Early has one send on each path.
func Early(fail bool) <-chan error {
	errc := make(chan error, 1)
	if fail {
		errc <- nil
		return errc
	}
	go func() { errc <- nil }()
	return errc
}

type Compactor struct {
	kick chan struct{}
	stop chan struct{}
}

func New() *Compactor {
	return &Compactor{kick: make(chan struct{}, 1), stop: make(chan struct{})}
}

func (c *Compactor) Close() { close(c.stop) }

// Start kicks once: the buffer holds it until the loop runs.
func (c *Compactor) Start() {
	c.kick <- struct{}{}
	go c.loop()
}

func (c *Compactor) loop() {
	for {
		select {
		case <-c.kick:
		case <-c.stop:
			return
		}
	}
}
