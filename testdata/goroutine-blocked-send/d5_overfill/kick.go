package kick

type Compactor struct{ kick chan struct{} }

func New() *Compactor { return &Compactor{kick: make(chan struct{}, 1)} }

func (c *Compactor) Kick() { c.kick <- struct{}{} }

func (c *Compactor) Start(stop <-chan struct{}) {
	c.kick <- struct{}{} // want `send on c.kick blocks forever: Compactor.kick holds 1 value and Kick \(line 7\) may fill it before Start starts its receiver \(line 11\)`
	go func() {
		for {
			select {
			case <-c.kick:
			case <-stop:
				return
			}
		}
	}()
}
