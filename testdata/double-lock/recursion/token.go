// Package recursion: a token getter calls the request helper, which calls the getter back only
// when the request carries no token; the getter's own request always carries one.
package recursion

import "sync"

type Client struct {
	mu    sync.Mutex
	token string
}

func (c *Client) getToken() (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token != "" {
		return c.token, nil
	}
	body, err := c.call("login", map[string]string{"token": "*"})
	if err != nil {
		return "", err
	}
	c.token = body
	return body, nil
}

func (c *Client) call(fn string, params map[string]string) (string, error) {
	if _, ok := params["token"]; !ok {
		tok, err := c.getToken()
		if err != nil {
			return "", err
		}
		params["token"] = tok
	}
	return fn + params["token"], nil
}

// refresh holds the lock and calls a helper that takes it again: not recursion, reported.
func (c *Client) refresh() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reset() // want `Client.refresh holds c.mu \(locked at line 39\) and calls Client.reset, which locks c.mu again at line 45`
}

func (c *Client) reset() {
	c.mu.Lock()
	c.token = ""
	c.mu.Unlock()
}
