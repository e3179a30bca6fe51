package fixture

import (
	"io"
	"net/http"
	"os"
)

// spool hands its temporary file to the caller with a cleanup function in a named result, which
// the caller defers whatever the error: the file is closed there.
func spool(in io.Reader) (out io.Reader, cleanup func(), err error) {
	cleanup = func() {}
	tmp, err := os.CreateTemp("", "spool")
	if err != nil {
		return
	}
	cleanup = func() {
		_ = tmp.Close()
		_ = os.Remove(tmp.Name())
	}
	if _, err = io.Copy(tmp, in); err != nil {
		return
	}
	if _, err = tmp.Seek(0, io.SeekStart); err != nil {
		return
	}
	return tmp, cleanup, nil
}

// spoolLost is the bug twin: the cleanup closure stays in a local that nobody calls.
func spoolLost(in io.Reader) (io.Reader, error) {
	tmp, err := os.CreateTemp("", "spool")
	if err != nil {
		return nil, err
	}
	cleanup := func() {
		_ = tmp.Close()
	}
	_ = cleanup
	if _, err = io.Copy(tmp, in); err != nil {
		return nil, err // want `tmp opened at line 32 is not closed when io.Copy fails \(return at line 41\)`
	}
	return tmp, nil
}

// openRetried opens inside a retried closure and hands the body to the enclosing function's
// variable, wrapped or not: the caller of openRetried closes it.
func openRetried(c *http.Client, url string, count int64, retry func(func() error) error) (io.ReadCloser, error) {
	var reader io.ReadCloser
	err := retry(func() error {
		resp, err := c.Get(url)
		if err != nil {
			return err
		}
		if count > 0 {
			reader = struct {
				io.Reader
				io.Closer
			}{io.LimitReader(resp.Body, count), resp.Body}
		} else {
			reader = resp.Body
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return reader, nil
}
