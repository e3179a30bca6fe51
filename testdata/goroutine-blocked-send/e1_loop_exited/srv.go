package srv

type Server struct {
	reqs chan chan int
	quit chan struct{}
	done chan struct{}
}

func (s *Server) loop() {
	defer close(s.done)
	for {
		select {
		case r := <-s.reqs:
			r <- 42
		case <-s.quit:
			return // after this, nobody receives on reqs
		}
	}
}

func (s *Server) Query() int {
	r := make(chan int, 1)
	s.reqs <- r // want `send on s.reqs blocks forever once Server.loop has returned: Server.loop is the only receiver of Server.reqs and returns on <-s.quit \(line 15\)`
	return <-r
}
