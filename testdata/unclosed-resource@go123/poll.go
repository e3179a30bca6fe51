package tickers

import (
	"net/http"
	"os"
	"time"
)

// Since Go 1.23 a ticker nobody references is collected, stopped or not: returning without
// Stop loses nothing.
func pollUntil(done func() bool) bool {
	ticker := time.NewTicker(time.Second)
	for range ticker.C {
		if done() {
			return true
		}
	}
	return false
}

// A file still needs its Close, whatever the go directive says.
func firstByte(path string) (byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	b := make([]byte, 1)
	if _, err := f.Read(b); err != nil {
		return 0, err // want `f opened at line 23 is not closed when f.Read fails`
	}
	return b[0], f.Close()
}

// A HEAD response has no body to drain: the connection goes back to the pool at once.
func exists(url string) (bool, error) {
	resp, err := http.Head(url)
	if err != nil {
		return false, err
	}
	return resp.StatusCode == http.StatusOK, nil
}

// A GET response's body must be closed, or the connection is never reused.
func status(c *http.Client, url string) (int, error) {
	resp, err := c.Get(url)
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil // want `resp.Body from c.Get at line 45 is not closed before the return at line 49`
}
