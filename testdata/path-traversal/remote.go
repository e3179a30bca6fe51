package files

import (
	"net/http"
	"os"

	"example.com/files/storage"
)

// handleBlob reads a blob named in the query through the storage package, which does not check.
func handleBlob(w http.ResponseWriter, r *http.Request) {
	data, err := storage.ReadBlob(root, r.URL.Query().Get("name")) // want `reaches os.ReadFile at storage/storage.go:12 without a containment check \(passed to storage.ReadBlob at line 12\)`
	if err != nil {
		return
	}
	w.Write(data)
}

// handleBlobLocal goes through the checking reader.
func handleBlobLocal(w http.ResponseWriter, r *http.Request) {
	data, _ := storage.ReadLocal(root, r.URL.Query().Get("name"))
	w.Write(data)
}

// handleKey opens the path the storage package builds from the name.
func handleKey(w http.ResponseWriter, r *http.Request) {
	f, err := os.Open(storage.Key(r.FormValue("name"))) // want `reaches os.Open at line 27`
	if err != nil {
		return
	}
	f.Close()
}

// handleBaseKey opens a path built from the base name only.
func handleBaseKey(w http.ResponseWriter, r *http.Request) {
	f, err := os.Open(storage.BaseKey(r.FormValue("name")))
	if err != nil {
		return
	}
	f.Close()
}

// handleRemove deletes through a method whose helper joins unchecked.
func handleRemove(s *storage.Store, w http.ResponseWriter, r *http.Request) {
	s.Remove(r.FormValue("name")) // want `name.* reaches os.Remove at storage/storage.go:42`
}
