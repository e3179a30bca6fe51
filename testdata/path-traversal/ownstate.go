package files

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
)

type state struct {
	Dir string `json:"dir"`
}

// loadState reads the program's own state file and hands the bytes to a decoder.
func loadState(base string) error {
	b, err := os.ReadFile(filepath.Join(base, "state.json"))
	if err != nil {
		return err
	}
	return applyState(base, b)
}

// applyState decodes what loadState read: the program wrote it, no client did.
func applyState(base string, data []byte) error {
	var st state
	if err := json.Unmarshal(data, &st); err != nil {
		return err
	}
	return os.RemoveAll(filepath.Join(base, st.Dir))
}

type job struct {
	Dir string `json:"dir"`
}

// replayJob runs a job the program saved itself.
func replayJob(base string) error {
	b, err := os.ReadFile(filepath.Join(base, "job.json"))
	if err != nil {
		return err
	}
	return runJob(base, b)
}

// handleJob runs a job a client sent, through the same decoder.
func handleJob(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	runJob(root, body)
}

// runJob decodes its bytes: one of its callers passes a request body.
func runJob(base string, data []byte) error {
	var j job
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	return os.RemoveAll(filepath.Join(base, j.Dir)) // want `j.Dir \(field of job decoded from JSON at line 58\) reaches os.RemoveAll`
}
