package debounce

import "time"

type Debouncer struct {
	delay time.Duration
	poke  chan struct{}
	quit  chan struct{}
	fire  func()
}

// loop drains a timer whose value the first case may already have taken.
func (d *Debouncer) loop() {
	t := time.NewTimer(d.delay)
	for {
		select {
		case <-t.C:
			d.fire()
		case <-d.poke:
			if !t.Stop() {
				<-t.C // want "t.C is drained after t.Stop\\(\\) returned false, but the select case at line 17 already received the timer's value"
			}
			t.Reset(d.delay)
		case <-d.quit:
			return
		}
	}
}

// loopSafe drains only a value that is still pending.
func (d *Debouncer) loopSafe() {
	t := time.NewTimer(d.delay)
	for {
		select {
		case <-t.C:
			d.fire()
		case <-d.poke:
			if !t.Stop() {
				select {
				case <-t.C:
				default:
				}
			}
			t.Reset(d.delay)
		case <-d.quit:
			return
		}
	}
}

// loopReset re-arms the timer after each firing: a false Stop means a value is pending.
func (d *Debouncer) loopReset() {
	t := time.NewTimer(d.delay)
	for {
		select {
		case <-t.C:
			d.fire()
			t.Reset(d.delay)
		case <-d.poke:
			if !t.Stop() {
				<-t.C
			}
			t.Reset(d.delay)
		case <-d.quit:
			return
		}
	}
}

type retrier struct {
	timer *time.Timer
	kick  chan struct{}
}

// wait drains in the case that just received the value: a second receive that never completes.
func (r *retrier) wait() {
	select {
	case <-r.timer.C:
		if !r.timer.Stop() {
			<-r.timer.C // want "r.timer.C is drained after r.timer.Stop\\(\\) returned false, but the select case at line 78"
		}
	case <-r.kick:
	}
}

// once has no loop: the two cases exclude each other.
func (r *retrier) once() {
	select {
	case <-r.timer.C:
	case <-r.kick:
		if !r.timer.Stop() {
			<-r.timer.C
		}
	}
}

type sender struct {
	out     chan string
	timeout time.Duration
}

// push re-arms the timer before each select: the value a case took is gone by the next drain.
func (s *sender) push(msgs <-chan string) {
	timer := time.NewTimer(s.timeout)
	for m := range msgs {
		timer.Reset(s.timeout)
		select {
		case s.out <- m:
			if !timer.Stop() {
				<-timer.C
			}
		case <-timer.C:
		}
	}
}

// rounds makes a new timer each round: the drain is of the new one.
func rounds(n int) {
	for i := 0; i < n; i++ {
		t := time.NewTimer(time.Hour)
		if !t.Stop() {
			<-t.C
		}
		select {
		case <-t.C:
		default:
		}
	}
}
