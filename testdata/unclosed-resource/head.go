package fixture

import (
	"context"
	"fmt"
	"net/http"
)

// Exists sends a HEAD request: its body is http.NoBody, nothing to close on any path.
func Exists(ctx context.Context, c *http.Client, url string) (bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, url, nil)
	if err != nil {
		return false, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return false, err
	}
	return resp.StatusCode == http.StatusOK, nil
}

// Offset asks a helper of the package for the request; the helper builds only HEAD requests.
func Offset(ctx context.Context, c *http.Client, url string) (string, error) {
	req, err := newHeadRequest(ctx, url)
	if err != nil {
		return "", err
	}
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	return resp.Header.Get("Upload-Offset"), nil
}

func newHeadRequest(ctx context.Context, url string) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, "HEAD", url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Tus-Resumable", "1.0.0")
	return req, nil
}

// Size is the bug twin: a GET whose body is never closed.
func Size(ctx context.Context, c *http.Client, url string) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("size: %s", resp.Status) // want `resp.Body from c.Do at line 50 is not closed when resp.StatusCode != http.StatusOK \(return at line 55\)`
	}
	return resp.ContentLength, nil
}

// Reused takes a HEAD request first, then a GET in the same variable: the GET's body leaks.
func Reused(ctx context.Context, c *http.Client, url string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, url, nil)
	if err != nil {
		return "", err
	}
	req, err = http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", err
	}
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	return resp.Status, nil // want `resp.Body from c.Do at line 70 is not closed before the return at line 74`
}
