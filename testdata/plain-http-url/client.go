package client

import (
	"context"
	"fmt"
	"net/http"
)

const statusURL = "http://status.example.com/v1/health"

func status() (*http.Response, error) {
	return http.Get(statusURL) // want `request to http://status.example.com goes over plain HTTP`
}

func user(ctx context.Context, id string) (*http.Request, error) {
	return http.NewRequestWithContext(ctx, http.MethodGet, "http://api.example.com/users/"+id, nil) // want `request to http://api.example.com goes over plain HTTP`
}

func report(c *http.Client, host string) (*http.Response, error) {
	u := fmt.Sprintf("http://metrics.example.com:9090/push?host=%s", host)
	return c.Post(u, "text/plain", nil) // want `request to http://metrics.example.com:9090 goes over plain HTTP`
}

func secure() (*http.Response, error) {
	return http.Get("https://status.example.com/v1/health")
}

// local talks to a sidecar on loopback: reported only with include-loopback.
func local() (*http.Response, error) {
	return http.Get("http://localhost:8500/v1/agent/self")
}

// metadata is the cloud metadata endpoint, which only speaks HTTP.
func metadata() (*http.Response, error) {
	return http.Get("http://169.254.169.254/latest/meta-data/")
}

// hostFromConfig has no literal host.
func hostFromConfig(c *http.Client, base string) (*http.Response, error) {
	return c.Get(base + "/v1/health")
}

// docs mentions an http URL that is never requested.
const docs = "http://example.com/docs"
