package fixture

import (
	"bufio"
	"net/http"
	"os"
)

func save(path string, data []byte) {
	f, err := os.Create(path)
	if err != nil {
		return
	}
	w := bufio.NewWriter(f)
	_, _ = w.Write(data) // want `error from \(\*bufio\.Writer\)\.Write is assigned to _`
	_ = w.Flush()        // want `error from \(\*bufio\.Writer\)\.Flush is assigned to _; w was opened for writing and data may be lost`
	_ = f.Close()        // want `error from \(\*os\.File\)\.Close is assigned to _; f was opened for writing`
}

// Closing on a path that already returns an error: the first error is the one to report, and
// what was only read loses nothing on Close.
func lock(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(0o600); err != nil {
		_ = f.Close() // want `error from \(\*os\.File\)\.Close is assigned to _$`
		return nil, err
	}
	return f, nil
}

func handler(w http.ResponseWriter, r *http.Request) {
	_, _ = w.Write([]byte("ok")) // want `error from \(http\.ResponseWriter\)\.Write is assigned to _`
	if r.Body != nil {
		_ = r.Body.Close() // want `error from \(io\.ReadCloser\)\.Close is assigned to _`
	}
}
