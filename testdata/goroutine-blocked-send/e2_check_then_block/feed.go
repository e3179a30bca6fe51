package feed

type Feed struct {
	out  chan int
	stop chan struct{}
}

func (f *Feed) produce() {
	for i := 0; ; i++ {
		select {
		case <-f.stop:
			return
		default:
			f.out <- i // stop is not watched while blocked here // want `send on f.out can block forever: the select at line 10 checks <-f.stop only before this send, and Feed.consume, the only receiver of Feed.out, returns on <-f.stop \(line 23\)`
		}
	}
}

func (f *Feed) consume() {
	for {
		select {
		case <-f.out:
		case <-f.stop:
			return // the consumer leaves on stop; produce stays blocked
		}
	}
}
