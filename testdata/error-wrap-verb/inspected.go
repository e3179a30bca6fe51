package wrap

import (
	"errors"
	"fmt"
	"os"
)

// readConfig's errors are checked with errors.Is below: %w is the fix that check needs (safe).
func readConfig(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %v", err) // want `formats the error err with %v`
	}
	return b, nil
}

func configOrDefault(path string) []byte {
	b, err := readConfig(path)
	if errors.Is(err, os.ErrNotExist) {
		return []byte("{}")
	}
	return b
}

// readState's errors nobody in the package inspects: %w would change what outside callers
// see (unsafe).
func readState(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read state: %v", err) // want `formats the error err with %v`
	}
	return b, nil
}
