// Package smb: open a TCP connection to a file server and authenticate on it.
package smb

import (
	"context"
	"net"
)

type Session struct{ id uint64 }

type Authenticator interface {
	Handshake(ctx context.Context, c net.Conn, user, pass string) (*Session, error)
}

type Fs struct {
	user     string
	obscured string // stored password, obscured
	reveal   func(string) (string, error)
	auth     Authenticator
}

type conn struct {
	tcp     net.Conn
	session *Session
}

// dial connects to addr and runs the handshake; ctx only bounds the setup.
func (f *Fs) dial(ctx context.Context, addr string) (c *conn, err error) {
	var d net.Dialer
	tcp, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	// Close the connection if any later setup step fails.
	defer func() {
		if err != nil {
			_ = tcp.Close()
		}
	}()
	pass := ""
	if f.obscured != "" {
		pass, err = f.reveal(f.obscured)
		if err != nil {
			return nil, err
		}
	}
	s, err := f.auth.Handshake(ctx, tcp, f.user, pass)
	if err != nil {
		return nil, err
	}
	return &conn{tcp: tcp, session: s}, nil
}
