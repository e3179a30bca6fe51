package files

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
)

var nameRe = regexp.MustCompile(`^[a-z0-9-]+$`)

// checkName refuses names that are not plain words; it returns an error, callers stop on it.
func checkName(name string) error {
	if !nameRe.MatchString(name) {
		return errors.New("bad name")
	}
	return nil
}

// createRepo creates the repository folder once the name passed the check.
func createRepo(name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	return os.MkdirAll(filepath.Join(root, name), 0o755)
}

// handleCreate creates a repository named in the form: createRepo checks the name.
func handleCreate(w http.ResponseWriter, r *http.Request) {
	createRepo(r.FormValue("name"))
}

// prepare checks the name with a helper whose name says nothing, then builds the path.
func prepare(name string) error {
	if !nameRe.MatchString(name) {
		return errors.New("bad name")
	}
	return nil
}

// handleCreateBuilt builds the path first and checks the name before using it.
func handleCreateBuilt(w http.ResponseWriter, r *http.Request) {
	name := r.FormValue("name")
	dir := filepath.Join(root, name)
	if err := prepare(name); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	os.MkdirAll(dir, 0o755)
}

// handleCreateUnchecked builds and uses the path without a check.
func handleCreateUnchecked(w http.ResponseWriter, r *http.Request) {
	name := r.FormValue("name")
	dir := filepath.Join(root, name)
	os.MkdirAll(dir, 0o755) // want `name \(request data of handler handleCreateUnchecked\) reaches os.MkdirAll`
}

type upload struct{ ID, Path string }

// getUploadByID finds a stored upload by its id.
func getUploadByID(id string) (*upload, error) {
	return &upload{ID: id, Path: filepath.Join(root, "uploads", id)}, nil
}

// handleCancel removes an upload that the lookup found: the id is a known key.
func handleCancel(w http.ResponseWriter, r *http.Request) {
	id := r.FormValue("id")
	_, err := getUploadByID(id)
	if err != nil {
		http.Error(w, "unknown upload", http.StatusNotFound)
		return
	}
	os.Remove(filepath.Join(root, "uploads", id))
}

// handleCancelUnlooked removes an upload by an id nobody looked up.
func handleCancelUnlooked(w http.ResponseWriter, r *http.Request) {
	id := r.FormValue("id")
	os.Remove(filepath.Join(root, "uploads", id)) // want `id .* reaches os.Remove`
}
