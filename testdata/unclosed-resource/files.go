package store

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"time"
)

// FirstLine leaks the file when the first read fails.
func FirstLine(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil {
		return "", err // want `f opened at line 15 is not closed when bufio.NewReader\(f\).ReadString fails \(return at line 21\); also leaks at line 23`
	}
	return line, nil
}

// FirstLineSafe defers the close.
func FirstLineSafe(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	return bufio.NewReader(f).ReadString('\n')
}

func closeQuietly(c io.Closer) {
	_ = c.Close()
}

// Copy closes both files through a helper.
func Copy(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer closeQuietly(in)
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// Logger keeps its file open for its whole life.
type Logger struct {
	f *os.File
}

// OpenLog stores the file in the Logger it returns.
func OpenLog(path string) (*Logger, error) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, err
	}
	l := &Logger{}
	l.f = f
	return l, nil
}

// Dial leaks the connection when the handshake write fails.
func Dial(ctx context.Context, addr string) (net.Conn, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	if _, err := conn.Write([]byte("HELLO\n")); err != nil {
		return nil, fmt.Errorf("handshake: %w", err) // want `conn opened at line 77 is not closed when conn.Write fails`
	}
	return conn, nil
}

// Serve hands each connection to a goroutine that owns it.
func Serve(l net.Listener, handle func(net.Conn)) {
	for {
		conn, err := l.Accept()
		if err != nil {
			return
		}
		go handle(conn)
	}
}

// Sizes opens one file per path and skips empty ones without closing them.
func Sizes(paths []string) (int64, error) {
	var total int64
	for _, p := range paths {
		f, err := os.Open(p) // want `f opened at line 102 is not closed before the loop acquires it again`
		if err != nil {
			continue
		}
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return 0, err
		}
		if st.Size() == 0 {
			continue
		}
		total += st.Size()
		f.Close()
	}
	return total, nil
}

// Poll never stops its ticker.
func Poll(ctx context.Context, check func() bool) bool {
	ticker := time.NewTicker(time.Second)
	for {
		select {
		case <-ctx.Done():
			return false // want `ticker from time.NewTicker at line 122 is not stopped before the return at line 126`
		case <-ticker.C:
			if check() {
				ticker.Stop()
				return true
			}
		}
	}
}

// PollSafe defers the stop.
func PollSafe(ctx context.Context, check func() bool) bool {
	ticker := time.NewTicker(time.Second)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return false
		case <-ticker.C:
			if check() {
				return true
			}
		}
	}
}

// WithDeadline returns the cancel function to its caller.
func WithDeadline(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	return ctx, cancel
}

// Run cancels only on success.
func Run(ctx context.Context, job func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	if err := job(ctx); err != nil {
		return err // want `cancel from context.WithTimeout at line 160 is not called when job fails`
	}
	cancel()
	return nil
}

// Spool arms its cleanup before the file exists, as mime/multipart does.
func Spool(parts [][]byte, dir string) (name string, err error) {
	var file *os.File
	defer func() {
		if file != nil {
			file.Close()
		}
	}()
	for _, p := range parts {
		if file == nil {
			file, err = os.CreateTemp(dir, "spool-")
			if err != nil {
				return "", err
			}
		}
		if _, err := file.Write(p); err != nil {
			return "", err
		}
	}
	return file.Name(), nil
}

// Watch gives the cancel function to a hook stored in a field: the hook owns it.
func Watch(ctx context.Context, hooks *struct{ OnStop func() }) context.Context {
	ctx, cancel := context.WithCancel(ctx)
	hooks.OnStop = func() { cancel() }
	return ctx
}

// Heartbeat hands its ticker to a goroutine that lives on.
func Heartbeat(beat func()) {
	ticker := time.NewTicker(time.Second)
	go func() {
		for range ticker.C {
			beat()
		}
	}()
}

// Twice opens two files in sibling blocks under one name; each is closed in its own block.
func Twice(a, b string) error {
	{
		f, err := os.Open(a)
		if err != nil {
			return err
		}
		f.Close()
	}
	if b != "" {
		f, err := os.Open(b)
		if err != nil {
			return err
		}
		defer f.Close()
	}
	return nil
}

// Expire waits for its timer to fire: a fired timer needs no Stop.
func Expire(d time.Duration) time.Time {
	t := time.NewTimer(d)
	return <-t.C
}

// MustFail expects the open to fail; on success the test stops.
func MustFail(path string, fatal func(string)) {
	_, err := os.Open(path)
	if err == nil {
		panic("opened " + path)
	}
	fatal(err.Error())
}

// OpenLater assigns the file to a variable of the enclosing function from a callback.
func OpenLater(path string, run func(func() error) error) (*os.File, error) {
	var f *os.File
	err := run(func() error {
		var err error
		f, err = os.Open(path)
		return err
	})
	return f, err
}
