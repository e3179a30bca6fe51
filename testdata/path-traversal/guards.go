package files

import (
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// handleCheckAfter checks the name only after it has been opened: too late.
func handleCheckAfter(w http.ResponseWriter, r *http.Request) {
	name := r.FormValue("name")
	data, _ := os.ReadFile(filepath.Join(root, name)) // want `name \(request data of handler handleCheckAfter\) reaches os.ReadFile`
	if !filepath.IsLocal(name) {
		http.Error(w, "bad name", http.StatusBadRequest)
		return
	}
	w.Write(data)
}

// handleCheckLogs checks the name but goes on when the check fails.
func handleCheckLogs(w http.ResponseWriter, r *http.Request) {
	name := r.FormValue("name")
	if !filepath.IsLocal(name) {
		log.Printf("suspicious name %q", name)
	}
	data, _ := os.ReadFile(filepath.Join(root, name)) // want `name .* reaches os.ReadFile`
	w.Write(data)
}

// handleCheckInside opens the file only inside the branch where the check passed.
func handleCheckInside(w http.ResponseWriter, r *http.Request) {
	name := r.FormValue("name")
	if filepath.IsLocal(name) {
		data, _ := os.ReadFile(filepath.Join(root, name))
		w.Write(data)
	}
}

// handleCheckInLoop skips bad names with continue.
func handleCheckInLoop(w http.ResponseWriter, r *http.Request) {
	for _, name := range r.Form["name"] {
		if strings.Contains(name, "..") {
			continue
		}
		os.Remove(filepath.Join(root, name))
	}
}

// handleCheckOtherBlock checks in one block and opens in another, where the check is not seen.
func handleCheckOtherBlock(w http.ResponseWriter, r *http.Request) {
	name := r.FormValue("name")
	if r.Method == http.MethodPost {
		if !filepath.IsLocal(name) {
			return
		}
	}
	os.Remove(filepath.Join(root, name)) // want `name .* reaches os.Remove`
}

// handleRelCheck uses filepath.Rel and refuses a result that climbs out.
func handleRelCheck(w http.ResponseWriter, r *http.Request) {
	target := filepath.Join(root, r.URL.Query().Get("f"))
	rel, err := filepath.Rel(root, target)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(os.PathSeparator)) {
		http.Error(w, "bad name", http.StatusBadRequest)
		return
	}
	f, err := os.Open(target)
	if err != nil {
		return
	}
	defer f.Close()
}

// handleRoot opens through os.Root, which refuses names that leave the directory.
func handleRoot(w http.ResponseWriter, r *http.Request) {
	dir, err := os.OpenRoot(root)
	if err != nil {
		return
	}
	defer dir.Close()
	f, err := dir.Open(r.URL.Query().Get("f"))
	if err != nil {
		return
	}
	defer f.Close()
}

// handleQueryJoin opens a path built from the query string in one expression.
func handleQueryJoin(w http.ResponseWriter, r *http.Request) {
	f, err := os.Open(filepath.Join(root, r.URL.Query().Get("f"))) // want `reaches os.Open at line 93 without a containment check`
	if err != nil {
		return
	}
	defer f.Close()
}
