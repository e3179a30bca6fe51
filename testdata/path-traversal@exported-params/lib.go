// Package blobs is a library: with exported-params its callers' names are outside input.
package blobs

import (
	"errors"
	"os"
	"path/filepath"
)

// Read reads a blob by name under root.
func Read(root, name string) ([]byte, error) {
	return os.ReadFile(filepath.Join(root, name)) // want `(root|name) \(parameter of Read\) reaches os.ReadFile at line 12 without a containment check`
}

const root = "/srv/blobs"

// ReadLocal refuses names that leave the root.
func ReadLocal(name string) ([]byte, error) {
	if !filepath.IsLocal(name) {
		return nil, errors.New("bad name")
	}
	return os.ReadFile(filepath.Join(root, name))
}

// read is unexported: its callers are this package's own code.
func read(name string) ([]byte, error) {
	return os.ReadFile(filepath.Join(root, name))
}

// Default reads the default blob.
func Default() ([]byte, error) {
	return read("default")
}
