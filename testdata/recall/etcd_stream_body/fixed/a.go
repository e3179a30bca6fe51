// Package stream: a peer opens a long-lived event stream to another peer.
package stream

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

var errIncompatible = errors.New("incompatible version")

// drainClose reads what is left of the body so the connection can be reused.
func drainClose(resp *http.Response) {
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
}

// dial returns the body of the peer's stream; the caller closes it.
func dial(rt http.RoundTripper, url string) (io.ReadCloser, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := rt.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	switch resp.StatusCode {
	case http.StatusOK:
		return resp.Body, nil
	case http.StatusNotFound:
		drainClose(resp)
		return nil, fmt.Errorf("peer does not know this member")
	case http.StatusPreconditionFailed:
		msg, err := io.ReadAll(resp.Body)
		if err != nil {
			_ = resp.Body.Close()
			return nil, err
		}
		drainClose(resp)
		if strings.TrimSpace(string(msg)) == errIncompatible.Error() {
			return nil, errIncompatible
		}
		return nil, fmt.Errorf("peer refused the stream: %s", msg)
	default:
		drainClose(resp)
		return nil, fmt.Errorf("unexpected status %d", resp.StatusCode)
	}
}
