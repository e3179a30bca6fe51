package fixture

import (
	"fmt"
	"io"
	"net/http"
	"strings"
)

// statusError reads an error response only to show it: a short read shortens the message.
func statusError(resp *http.Response) error {
	body, _ := io.ReadAll(resp.Body) // want `body may be truncated or empty and is used at line 13, only in a message`
	return fmt.Errorf("status %d: %s", resp.StatusCode, strings.TrimSpace(string(body)))
}

// statusDecides acts on what it read (the seed audit's shape): a short read changes the path.
func statusDecides(resp *http.Response) error {
	body, _ := io.ReadAll(resp.Body) // want `body may be truncated or empty and is used at line 19$`
	if len(body) > 0 {
		return fmt.Errorf("status %d: %s", resp.StatusCode, body)
	}
	return nil
}

// peek keeps what a short read gave: the count says how much.
func peek(r io.Reader) []byte {
	buf := make([]byte, 512)
	n, _ := io.ReadFull(r, buf) // want `n may be truncated or empty and is used at line 29 as the count of bytes read`
	return buf[:n]
}

// sniff reads at most a prefix of an error response, to check and show it: a short read is
// what the limit already asks for.
func sniff(resp *http.Response) error {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512)) // want `body may be truncated or empty and is used at line 36, a bounded read`
	if strings.Contains(string(body), "quota") {
		return fmt.Errorf("quota exceeded: %s", body)
	}
	return fmt.Errorf("status %d", resp.StatusCode)
}
