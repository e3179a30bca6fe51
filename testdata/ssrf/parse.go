package fetch

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

var allowedHosts = map[string]bool{"api.example.com": true, "cdn.example.com": true}

// fetchChecked parses the URL and checks its host against an allow-list first.
func fetchChecked(w http.ResponseWriter, r *http.Request) {
	raw := r.URL.Query().Get("url")
	u, err := url.Parse(raw)
	if err != nil || !allowedHosts[u.Hostname()] {
		http.Error(w, "host not allowed", http.StatusForbidden)
		return
	}
	resp, err := http.Get(raw)
	if err != nil {
		return
	}
	resp.Body.Close()
}

// fetchParsed parses the URL but never looks at the host.
func fetchParsed(w http.ResponseWriter, r *http.Request) error {
	u, err := url.Parse(r.FormValue("url"))
	if err != nil {
		return err
	}
	resp, err := http.Get(u.String()) // want `reaches http.Get`
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// fetchSchemeOnly checks the scheme, which does not pin the host.
func fetchSchemeOnly(w http.ResponseWriter, r *http.Request) error {
	raw := r.FormValue("url")
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" {
		return errors.New("https only")
	}
	resp, err := http.Get(raw) // want `raw \(request data of handler fetchSchemeOnly\) reaches http.Get`
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// propagate sends the key to a fixed replica: the request's text is only in the query.
func propagate(w http.ResponseWriter, r *http.Request) {
	key := r.FormValue("key")
	resp, err := http.Get(fmt.Sprintf("http://%s/set?key=%s", "replica.internal:8080", key))
	if err == nil {
		resp.Body.Close()
	}
	resp, err = http.Get("http://replica.internal:8080" + "/get?key=" + key)
	if err == nil {
		resp.Body.Close()
	}
}

// check forwards to the host named in the query.
func check(w http.ResponseWriter, r *http.Request) {
	target := r.URL.Query().Get("target")
	resp, err := http.Get(fmt.Sprintf("http://%s/checknosnat?ips=%s", target, r.FormValue("ips"))) // want `target .* reaches http.Get`
	if err == nil {
		resp.Body.Close()
	}
}
