package batch

func consume(ch chan int) {
	for v := range ch {
		_ = v
	}
}

// Seed queues three values in a buffer of two before its consumer runs.
func Seed() {
	ch := make(chan int, 2)
	ch <- 1
	ch <- 2
	ch <- 3 // want `send on ch blocks forever: ch holds 2 values and this is send 3 on the path from its make \(line 11\), before any other goroutine can hold ch`
	go consume(ch)
	close(ch)
}

type Compactor struct {
	kick chan struct{}
	stop chan struct{}
}

func New() *Compactor {
	return &Compactor{kick: make(chan struct{}, 1), stop: make(chan struct{})}
}

func (c *Compactor) Close() { close(c.stop) }

// Start kicks twice before the loop that drains kicks is running.
func (c *Compactor) Start() {
	c.kick <- struct{}{}
	c.kick <- struct{}{} // want `send on c.kick blocks forever: Compactor.kick holds 1 value and this is send 2 in Start before it starts its receiver \(line 34\)`
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
