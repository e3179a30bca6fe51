// Package http is this module's own web layer: its Server is a settings type, not net/http's.
package http

import "time"

// Server is what the settings file says about one listener.
type Server struct {
	Addr        string
	IdleTimeout time.Duration
}
