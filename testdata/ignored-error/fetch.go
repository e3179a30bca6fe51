package fixture

import (
	"bufio"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
)

func fetch(c *http.Client, u string) (string, error) {
	resp, err := c.Get(u)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body) // want `error from io\.ReadAll is discarded; body may be truncated or empty and is used at line 19`
	return string(body), nil
}

// fetchChecked is the fixed twin.
func fetchChecked(c *http.Client, u string) (string, error) {
	resp, err := c.Get(u)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	return string(body), nil
}

func port(s string) int {
	var n int
	n, _ = strconv.Atoi(s) // want `error from strconv\.Atoi is discarded; n may be a zero value and is used at line 39`
	return n + 1
}

func save(path string, data []byte) {
	f, err := os.Create(path)
	if err != nil {
		return
	}
	w := bufio.NewWriter(f)
	_, _ = w.Write(data)
	// `_ =` on a call whose only result is the error is a visible decision: silent unless
	// `blank = true` (see ignored-error@blank).
	_ = w.Flush()
	_ = f.Close()
}

// Idioms that stay silent: a handler's write, a literal URL, closing what was only read.
func handler(w http.ResponseWriter, r *http.Request) {
	_, _ = w.Write([]byte("ok"))
	base, _ := url.Parse("https://example.com/api")
	_ = base
	f, err := os.Open("/etc/hosts")
	if err != nil {
		return
	}
	_ = f.Close()
}

// Closing on a path that already returns an error: the first error is the one to report.
func lock(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(0o600); err != nil {
		_ = f.Close()
		return nil, err
	}
	return f, nil
}

func writeAll(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		return err
	}
	_ = f.Close()
	return nil
}

// A request from a constant method, a literal URL and no body cannot fail: silent.
func healthRequest() *http.Request {
	req, _ := http.NewRequest(http.MethodGet, "http://localhost:8080/healthz", nil)
	return req
}

// Its twin with a URL from the caller can fail on a malformed URL.
func userRequest(u string) *http.Request {
	req, _ := http.NewRequest("GET", u, nil) // want `error from http\.NewRequest is discarded; req may be invalid and is used at line 101`
	return req
}

type AskError struct{ addr string }

func (e *AskError) Error() string { return "ASK " + e.addr }

// IsAskError returns the error it found and whether it found one: the first result is the
// value asked for, not a failure.
func IsAskError(err error) (*AskError, bool) {
	ask, ok := err.(*AskError)
	return ask, ok
}

func isAsk(err error) bool {
	_, ok := IsAskError(err)
	return ok
}

type wheel struct{ slots int }

// newWheel never fails today: its error result is kept for the future.
func newWheel(slots int) (*wheel, error) {
	if slots < 1 {
		return &wheel{slots: 1}, nil
	}
	return &wheel{slots: slots}, nil
}

func wheelSlots() int {
	w, _ := newWheel(8)
	return w.slots
}

// newChecked can fail: dropping its error is reported.
func newChecked(slots int) (*wheel, error) {
	if slots < 1 {
		return nil, os.ErrInvalid
	}
	return &wheel{slots: slots}, nil
}

func checkedSlots(n int) int {
	w, _ := newChecked(n) // want `error from fixture\.newChecked is discarded; w may be invalid and is used at line 145`
	return w.slots
}
