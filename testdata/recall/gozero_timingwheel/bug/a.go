// Package wheel: a timing wheel whose state is owned by one run loop.
package wheel

import "time"

type entry struct {
	key   string
	delay time.Duration
}

type Wheel struct {
	set  chan entry
	stop chan struct{}
	tick *time.Ticker
}

func New(interval time.Duration) *Wheel {
	w := &Wheel{
		set:  make(chan entry),
		stop: make(chan struct{}),
		tick: time.NewTicker(interval),
	}
	go w.run()
	return w
}

// SetTimer asks the run loop to fire key after delay (argument checks elided).
func (w *Wheel) SetTimer(key string, delay time.Duration) {
	w.set <- entry{key: key, delay: delay} // want "w.set.* nobody receives|blocks"
}

// Stop ends the run loop.
func (w *Wheel) Stop() { close(w.stop) }

func (w *Wheel) run() {
	timers := make(map[string]time.Duration)
	for {
		select {
		case <-w.tick.C:
			clear(timers) // (slot advancing elided)
		case e := <-w.set:
			timers[e.key] = e.delay
		case <-w.stop:
			w.tick.Stop()
			return
		}
	}
}
