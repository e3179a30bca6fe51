package fixture

import (
	"errors"
	"fmt"
	"io"
)

// ErrNotFound is returned, wrapped, by find.
var ErrNotFound = errors.New("not found")

func find(id string) error { return fmt.Errorf("find %s: %w", id, ErrNotFound) }

func load(id string) error {
	if err := find(id); err != nil {
		return fmt.Errorf("load %s: %v", id, err) // want `fmt\.Errorf formats the error err with %v: the chain is cut`
	}
	return nil
}

// loadWrapped is the fixed twin.
func loadWrapped(id string) error {
	if err := find(id); err != nil {
		return fmt.Errorf("load %s: %w", id, err)
	}
	return nil
}

func missing(id string) bool {
	err := find(id)
	return err == ErrNotFound // want `err == ErrNotFound: a wrapped error never compares equal`
}

func missingIs(id string) bool {
	err := find(id)
	return errors.Is(err, ErrNotFound)
}

// NotFoundError names what was missing.
type NotFoundError struct{ ID string }

func (e *NotFoundError) Error() string { return e.ID + " not found" }

func get(id string) error { return fmt.Errorf("get: %w", &NotFoundError{id}) }

func isNotFound(id string) bool {
	err := get(id)
	_, ok := err.(*NotFoundError) // want `type assertion err\.\(\*NotFoundError\): misses a wrapped error`
	return ok
}

func isNotFoundAs(id string) bool {
	var nf *NotFoundError
	return errors.As(get(id), &nf)
}

// Silent: the standard library returns io.EOF unwrapped; formatting non-errors with %v is fine.
func drain(r io.Reader) error {
	buf := make([]byte, 512)
	for {
		_, err := r.Read(buf)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("drain after %d bytes: %w", len(buf), err)
		}
	}
}

func describe(n int, name string) error {
	return fmt.Errorf("bad value %v for %s", n, name)
}
