package fetch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// FetchParams are what the model sends to the fetch tool.
type FetchParams struct {
	URL string `json:"url"`
}

var allowedHosts = map[string]bool{"api.github.com": true}

// Fetch checks only the scheme: any host is reachable, 169.254.169.254 included.
func Fetch(ctx context.Context, input []byte) (*http.Response, error) {
	var p FetchParams
	if err := json.Unmarshal(input, &p); err != nil {
		return nil, err
	}
	if !strings.HasPrefix(p.URL, "https://") {
		return nil, errors.New("https only")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.URL, nil) // want `p.URL \(field of FetchParams decoded from JSON at line 25\) reaches http.NewRequestWithContext at line 31 as the target of an outgoing request without a host check`
	if err != nil {
		return nil, err
	}
	return http.DefaultClient.Do(req)
}

// FetchAllowed parses the URL and checks its host against an allow-list.
func FetchAllowed(ctx context.Context, input []byte) (*http.Response, error) {
	var p FetchParams
	if err := json.Unmarshal(input, &p); err != nil {
		return nil, err
	}
	u, err := url.Parse(p.URL)
	if err != nil || u.Scheme != "https" || !allowedHosts[u.Hostname()] {
		return nil, errors.New("host not allowed")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	return http.DefaultClient.Do(req)
}

// proxy forwards to the URL in the query string.
func proxy(w http.ResponseWriter, r *http.Request) {
	target := r.URL.Query().Get("url")
	resp, err := http.Get(target) // want `target \(request data of handler proxy\) reaches http.Get at line 58`
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	io.Copy(w, resp.Body)
}

// avatar fetches a user's avatar from a fixed host: the path is the input, not the host.
func avatar(w http.ResponseWriter, r *http.Request) {
	user := url.PathEscape(r.FormValue("user"))
	resp, err := http.Get("https://avatars.example.com/u/" + user)
	if err != nil {
		return
	}
	defer resp.Body.Close()
	io.Copy(w, resp.Body)
}

// webhook posts to a URL stored per tenant, formatted into a fixed host.
func webhook(w http.ResponseWriter, r *http.Request) {
	id := r.FormValue("id")
	resp, err := http.Post(fmt.Sprintf("https://hooks.example.com/t/%s", id), "application/json", nil)
	if err != nil {
		return
	}
	resp.Body.Close()
}

// dial connects to a host:port from a header.
func dial(w http.ResponseWriter, r *http.Request) {
	addr := r.Header.Get("X-Backend")
	conn, err := net.Dial("tcp", addr) // want `addr \(request data of handler dial\) reaches net.Dial`
	if err != nil {
		return
	}
	conn.Close()
}

// get is a helper: the URL comes from its callers.
func get(client *http.Client, u string) (*http.Response, error) {
	return client.Get(u) // want `r.FormValue\("u"\) \(request data of handler forward\) reaches \(\*http.Client\).Get at line 100 .*passed to get at line 105`
}

// forward passes request data to the helper.
func forward(w http.ResponseWriter, r *http.Request) {
	resp, err := get(http.DefaultClient, r.FormValue("u"))
	if err == nil {
		resp.Body.Close()
	}
}

// status fetches a constant URL through the same helper.
func status() {
	resp, err := get(http.DefaultClient, "https://status.example.com")
	if err == nil {
		resp.Body.Close()
	}
}

// callback accepts only URLs under a fixed host prefix.
func callback(w http.ResponseWriter, r *http.Request) {
	target := r.FormValue("next")
	if !strings.HasPrefix(target, "https://hooks.example.com/") {
		return
	}
	resp, err := http.Get(target)
	if err == nil {
		resp.Body.Close()
	}
}

// decodeAny decodes into a map: its values are outside input too.
func decodeAny(w http.ResponseWriter, r *http.Request) {
	var body map[string]string
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		return
	}
	resp, err := http.Get(body["url"]) // want `body \(decoded from JSON at line 134\) reaches http.Get`
	if err == nil {
		resp.Body.Close()
	}
}
