package files

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
)

type manifest struct {
	Dir  string `json:"dir"`
	File string `json:"file"`
}

// loadManifest reads the program's own manifest: its fields are not outside input.
func loadManifest(dir string) (*manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, err
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	return &m, os.RemoveAll(filepath.Join(dir, m.Dir))
}

type uploadMeta struct {
	Name string `json:"name"`
}

// handleMeta reads the body first, then decodes it: the fields are the client's.
func handleMeta(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return
	}
	var meta uploadMeta
	if err := json.Unmarshal(body, &meta); err != nil {
		return
	}
	os.WriteFile(filepath.Join(root, meta.Name), body, 0o600) // want `meta.Name \(field of uploadMeta decoded from JSON at line 40\) reaches os.WriteFile`
}

// handleStatic serves the request's path, which http.ServeMux has cleaned and rooted at "/".
func handleStatic(w http.ResponseWriter, r *http.Request) {
	f, err := os.Open(filepath.Join(root, r.URL.Path))
	if err != nil {
		return
	}
	defer f.Close()
}
