package fixture

import "fmt"

// gone compares without importing errors: the fix imports it.
func gone(id string) bool {
	err := find(id)
	return err != ErrNotFound // want `err != ErrNotFound: a wrapped error never compares equal`
}

// Each %v below is reported; only the plain one in a format without %w gets a fix.
func describe(id string) error {
	err := find(id)
	if id == "" {
		return fmt.Errorf("describe: %+v", err) // want `formats the error err with %v`
	}
	if id == "-" {
		return fmt.Errorf("describe %w: %v", ErrNotFound, err) // want `formats the error err with %v`
	}
	return fmt.Errorf("describe %s: %s", id, err) // want `formats the error err with %s`
}
