package job

import "errors"

func precheck() error { return errors.New("not ready") }
func run() error      { return nil }

func Start() <-chan error {
	errc := make(chan error)
	if err := precheck(); err != nil {
		errc <- err // want `send on unbuffered errc blocks forever: on the path from its make \(line 9\) to this send no other goroutine can hold errc yet \(it is first shared at line 12\)`
		return errc
	}
	go func() { errc <- run() }()
	return errc
}
