package store

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
)

// Client calls the status service.
type Client struct {
	http *http.Client
}

// Status returns before the deferred close on a non-200 status.
func (c *Client) Status(ctx context.Context, url string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return "", fmt.Errorf("status: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("status: %s", resp.Status) // want `resp.Body from c.http.Do at line 23 is not closed when resp.StatusCode != http.StatusOK \(return at line 28\)`
	}
	defer resp.Body.Close()
	var out struct{ State string }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return "", err
	}
	return out.State, nil
}

// StatusSafe defers the close right after the error check.
func (c *Client) StatusSafe(ctx context.Context, url string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return "", fmt.Errorf("status: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("status: %s", resp.Status)
	}
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

// Fetch returns the response; the caller closes its body.
func Fetch(url string) (*http.Response, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 500 {
		resp.Body.Close()
		return nil, fmt.Errorf("server error %d", resp.StatusCode)
	}
	return resp, nil
}

func drain(c io.Closer) {
	_ = c.Close()
}

// Ping hands the body to a function taking an io.Closer.
func Ping(url string) error {
	resp, err := http.DefaultClient.Get(url)
	if err != nil {
		return err
	}
	defer drain(resp.Body)
	return nil
}

// Head reads only the status: a HEAD response's body is http.NoBody and its connection is back
// in the pool before the call returns, so there is nothing to close.
func Head(url string) (int, error) {
	resp, err := http.Head(url)
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// Fire discards the response entirely.
func Fire(url string) {
	http.Post(url, "text/plain", nil) // want `the response body from http.Post is discarded`
}

// Record uses an httptest recorder, whose result needs no close.
func Record(h http.Handler) int {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
	resp := w.Result()
	return resp.StatusCode
}

// Stream sends the body on a channel: the receiver owns it.
func Stream(url string, out chan<- io.ReadCloser) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	out <- resp.Body
	return nil
}
