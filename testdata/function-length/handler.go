package handler

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
)

// Upload is the request body of an upload.
type Upload struct {
	Name    string
	Content string
	Tags    []string
}

// HandleUpload parses, validates, normalises and answers in one long function.
func HandleUpload(w http.ResponseWriter, r *http.Request) { // want "^HandleUpload: 21 statements \\(limit 12\\), 29 lines \\(25\\): extract its steps into named functions$"
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	var up Upload
	if err := json.NewDecoder(r.Body).Decode(&up); err != nil {
		http.Error(w, "bad json", http.StatusBadRequest)
		return
	}
	if up.Name == "" {
		http.Error(w, "name required", http.StatusBadRequest)
		return
	}
	if len(up.Content) > 1<<20 {
		http.Error(w, "too large", http.StatusRequestEntityTooLarge)
		return
	}
	tags := make([]string, 0, len(up.Tags))
	for _, t := range up.Tags {
		t = strings.TrimSpace(strings.ToLower(t))
		if t != "" {
			tags = append(tags, t)
		}
	}
	up.Tags = tags
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(up)
}

// Normalize does many small steps in few lines: too many statements.
func Normalize(u *Upload) { // want "^Normalize: 1[3-9] statements \\(limit 12\\): extract its steps into named functions$"
	u.Name = strings.TrimSpace(u.Name)
	u.Name = strings.ToLower(u.Name)
	u.Content = strings.TrimSpace(u.Content)
	if u.Name == "" {
		u.Name = "unnamed"
	}
	if u.Content == "" {
		u.Content = "-"
	}
	for i := range u.Tags {
		u.Tags[i] = strings.ToLower(u.Tags[i])
		u.Tags[i] = strings.TrimSpace(u.Tags[i])
	}
	u.Tags = append(u.Tags, "upload")
	u.Tags = append(u.Tags, "v1")
	u.Tags = append(u.Tags, "new")
}

// HandleUploadSplit is the fixed shape: the steps live in named helpers.
func HandleUploadSplit(w http.ResponseWriter, r *http.Request) {
	up, err := parseUpload(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	up.Tags = cleanTags(up.Tags)
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(up)
}

func parseUpload(r *http.Request) (Upload, error) {
	var up Upload
	if err := json.NewDecoder(r.Body).Decode(&up); err != nil {
		return up, err
	}
	if up.Name == "" {
		return up, errors.New("name required")
	}
	return up, nil
}

func cleanTags(in []string) []string {
	out := make([]string, 0, len(in))
	for _, t := range in {
		if t = strings.TrimSpace(strings.ToLower(t)); t != "" {
			out = append(out, t)
		}
	}
	return out
}
