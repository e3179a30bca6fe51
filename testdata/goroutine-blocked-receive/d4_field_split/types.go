package flusher

type Flusher struct {
	lines chan string
	size  int
}

func NewFlusher() *Flusher { return &Flusher{lines: make(chan string, 8)} }

type Signaller struct{ fired chan struct{} }

func NewSignaller() *Signaller {
	s := &Signaller{}
	s.fired = make(chan struct{})
	return s
}

type Handed struct{ in chan int }

type Polled struct{ tick chan bool }

type Given struct{ done chan struct{} }

func NewGiven(done chan struct{}) *Given { return &Given{done: done} }

// Built by position: the channel may come from the caller.
type Positional struct{ events chan int }

func NewPositional(events chan int) *Positional { return &Positional{events} }

func (p *Positional) next() int { return <-p.events } // silent
