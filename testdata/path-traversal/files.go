package files

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

const root = "/srv/data"

// handleDownload serves a file named in the query string.
func handleDownload(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("file")
	data, err := os.ReadFile(filepath.Join(root, name)) // want `name \(request data of handler handleDownload\) reaches os.ReadFile at line 16 without a containment check`
	if err != nil {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	w.Write(data)
}

// handleDownloadLocal checks the name with filepath.IsLocal first.
func handleDownloadLocal(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("file")
	if !filepath.IsLocal(name) {
		http.Error(w, "bad name", http.StatusBadRequest)
		return
	}
	data, _ := os.ReadFile(filepath.Join(root, name))
	w.Write(data)
}

// handleDownloadPrefix checks containment with the base's trailing separator.
func handleDownloadPrefix(w http.ResponseWriter, r *http.Request) {
	path := filepath.Join(root, r.URL.Query().Get("file"))
	if !strings.HasPrefix(path, root+string(os.PathSeparator)) {
		http.Error(w, "bad name", http.StatusBadRequest)
		return
	}
	http.ServeFile(w, r, path)
}

// handleDownloadBrokenPrefix checks the prefix without the separator: /srv/data2 passes.
func handleDownloadBrokenPrefix(w http.ResponseWriter, r *http.Request) {
	path := filepath.Clean(filepath.Join(root, r.URL.Query().Get("file")))
	if !strings.HasPrefix(path, root) {
		http.Error(w, "bad name", http.StatusBadRequest)
		return
	}
	http.ServeFile(w, r, path) // want `reaches http.ServeFile at line 52 without a containment check`
}

// handleDelete removes a file named in a form value after a Rel check.
func handleDelete(w http.ResponseWriter, r *http.Request) {
	target := filepath.Join(root, r.FormValue("name"))
	rel, err := filepath.Rel(root, target)
	if err != nil || strings.HasPrefix(rel, "..") {
		http.Error(w, "bad name", http.StatusBadRequest)
		return
	}
	os.Remove(target)
}

// handleUpload writes the body to a file named by a header, keeping only the base name.
func handleUpload(w http.ResponseWriter, r *http.Request) {
	name := filepath.Base(r.Header.Get("X-File-Name"))
	f, err := os.Create(filepath.Join(root, name))
	if err != nil {
		return
	}
	defer f.Close()
}

// handleUploadUnsafe writes to a path built from a header.
func handleUploadUnsafe(w http.ResponseWriter, r *http.Request) {
	name := r.Header.Get("X-File-Name")
	f, err := os.OpenFile(root+"/"+name, os.O_CREATE|os.O_WRONLY, 0o600) // want `name .* reaches os.OpenFile`
	if err != nil {
		return
	}
	defer f.Close()
}

// openInRoot uses os.Root, which refuses to leave the directory.
func openInRoot(r *http.Request) (*os.File, error) {
	return os.OpenInRoot(root, r.FormValue("name"))
}

// safeJoin is the package's own validator.
func safeJoin(base, name string) (string, error) {
	p := filepath.Join(base, name)
	if !strings.HasPrefix(p, filepath.Clean(base)+string(os.PathSeparator)) {
		return "", errors.New("outside base")
	}
	return p, nil
}

// handleView joins through the validator.
func handleView(w http.ResponseWriter, r *http.Request) {
	p, err := safeJoin(root, r.FormValue("name"))
	if err != nil {
		return
	}
	data, _ := os.ReadFile(p)
	w.Write(data)
}

// readConfig reads the file named by an environment variable: the operator's choice.
func readConfig() ([]byte, error) {
	return os.ReadFile(os.Getenv("APP_CONFIG"))
}

// ReadFile is a library function: its parameter is trusted unless exported-params is set.
func ReadFile(name string) ([]byte, error) {
	return os.ReadFile(name)
}

type viewRequest struct {
	Path string `json:"path"`
}

// decodeBody hides the decoding in a helper.
func decodeBody(r *http.Request, v any) error {
	return nil
}

// handleView2 reads the path from a body decoded by the helper.
func handleView2(w http.ResponseWriter, r *http.Request) {
	var req viewRequest
	if err := decodeBody(r, &req); err != nil {
		return
	}
	data, _ := os.ReadFile(req.Path) // want `req.Path .* reaches os.ReadFile`
	w.Write(data)
}
