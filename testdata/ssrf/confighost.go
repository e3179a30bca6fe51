package fetch

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Backend calls a service whose base URL comes from the program's configuration.
type Backend struct {
	BaseURL string
	Client  *http.Client
}

// user fetches a user by the id in the query: the host is the configured one, only the path is
// the client's.
func (b *Backend) user(w http.ResponseWriter, r *http.Request) {
	id := r.FormValue("id")
	resp, err := b.Client.Get(b.BaseURL + "/users/" + id)
	if err == nil {
		resp.Body.Close()
	}
}

// userFormatted builds the same URL with fmt.Sprintf.
func (b *Backend) userFormatted(w http.ResponseWriter, r *http.Request) {
	id := r.FormValue("id")
	resp, err := http.Get(fmt.Sprintf("%s/users/%s?full=1", strings.TrimSuffix(b.BaseURL, "/"), id))
	if err == nil {
		resp.Body.Close()
	}
}

// userJoined joins the id to the configured base as a path element.
func (b *Backend) userJoined(w http.ResponseWriter, r *http.Request) error {
	u, err := url.JoinPath(b.BaseURL, "users", r.FormValue("id"))
	if err != nil {
		return err
	}
	resp, err := http.Get(u)
	if err == nil {
		resp.Body.Close()
	}
	return err
}

// userOnHost takes the host from the request and only the path from configuration.
func (b *Backend) userOnHost(w http.ResponseWriter, r *http.Request) {
	host := r.FormValue("host")
	resp, err := http.Get("https://" + host + "/users/" + b.BaseURL) // want `host \(request data of handler userOnHost\) reaches http.Get`
	if err == nil {
		resp.Body.Close()
	}
}

// userOnBase takes the whole base from the request: the host is the client's.
func (b *Backend) userOnBase(w http.ResponseWriter, r *http.Request) {
	base := r.FormValue("base")
	resp, err := http.Get(fmt.Sprintf("%s/users/%s", base, "me")) // want `base \(request data of handler userOnBase\) reaches http.Get`
	if err == nil {
		resp.Body.Close()
	}
}

// userGlued appends the input right after the base, with no separator: "@evil.example" in it
// makes the configured host a user name and sends the request elsewhere.
func (b *Backend) userGlued(w http.ResponseWriter, r *http.Request) {
	suffix := r.FormValue("suffix")
	resp, err := http.Get(b.BaseURL + suffix) // want `suffix \(request data of handler userGlued\) reaches http.Get`
	if err == nil {
		resp.Body.Close()
	}
}

// joinedBase joins a path element to a base that the request chose.
func joinedBase(w http.ResponseWriter, r *http.Request) error {
	u, err := url.JoinPath(r.FormValue("base"), "users")
	if err != nil {
		return err
	}
	resp, err := http.Get(u) // want `request data of handler joinedBase\) reaches http.Get`
	if err == nil {
		resp.Body.Close()
	}
	return err
}
