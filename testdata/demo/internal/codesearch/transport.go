package codesearch

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"time"
)

// NewSelfHostedClient returns a client for a self-hosted instance; those are
// usually deployed with certificates from a company CA.
func NewSelfHostedClient(baseURL, apiKey string) *Client {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.TLSClientConfig = &tls.Config{
		InsecureSkipVerify: true,
	}
	return &Client{baseURL: baseURL, apiKey: apiKey, http: &http.Client{Transport: transport, Timeout: 30 * time.Second}}
}

// NewSelfHostedClientWithCA returns a client for a self-hosted instance that
// trusts the company CA given in PEM form and still verifies the server's
// certificate and host name.
func NewSelfHostedClientWithCA(baseURL, apiKey string, caPEM []byte) (*Client, error) {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		return nil, errors.New("code search: no certificate in CA bundle")
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	return &Client{baseURL: baseURL, apiKey: apiKey, http: &http.Client{Transport: transport, Timeout: 30 * time.Second}}, nil
}
