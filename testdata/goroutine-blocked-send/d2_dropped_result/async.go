package async

func Async(f func() error) <-chan error {
	out := make(chan error)
	go func() {
		out <- f() // want `send on out blocks forever when the caller drops the channel Async returns: Refresh \(line 12\) discards it`
	}()
	return out
}

func Refresh() {
	Async(func() error { return nil }) // result dropped: the goroutine never exits
}
