// Package migrate: stop a child server process, killing it after a grace period.
package migrate

import (
	"log"
	"os"
	"os/exec"
	"time"
)

type Server struct {
	cmd *exec.Cmd
}

// Stop interrupts the process and kills it if it has not exited within grace.
func (s *Server) Stop(grace time.Duration) error {
	exited := make(chan struct{}, 1)
	expired := make(chan struct{}, 1)
	go func() {
		time.Sleep(grace)
		expired <- struct{}{}
	}()
	go func() {
		select {
		case <-exited:
			return
		case <-expired:
			log.Printf("process still running after %s, killing it", grace)
			_ = s.cmd.Process.Kill()
		}
	}()
	if err := s.cmd.Process.Signal(os.Interrupt); err != nil {
		return err
	}
	err := s.cmd.Wait()
	exited <- struct{}{}
	return err
}
