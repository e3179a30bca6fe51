// Package storage keeps blobs under a root folder; its callers pass the names.
package storage

import (
	"errors"
	"os"
	"path/filepath"
)

// ReadBlob reads a blob by name: the name is not checked here.
func ReadBlob(root, name string) ([]byte, error) {
	return os.ReadFile(filepath.Join(root, name))
}

// ReadLocal refuses names that leave the root.
func ReadLocal(root, name string) ([]byte, error) {
	if !filepath.IsLocal(name) {
		return nil, errors.New("bad name")
	}
	return os.ReadFile(filepath.Join(root, name))
}

// Key is where a blob lives, relative to the working folder.
func Key(name string) string {
	return "blobs/" + name
}

// BaseKey keeps only the last element of the name.
func BaseKey(name string) string {
	return "blobs/" + filepath.Base(name)
}

// Store is a blob store.
type Store struct{ Root string }

// Remove deletes a blob.
func (s *Store) Remove(name string) error {
	return removeUnder(s.Root, name)
}

func removeUnder(root, name string) error {
	return os.Remove(filepath.Join(root, name))
}
