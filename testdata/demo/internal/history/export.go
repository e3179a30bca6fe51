// Package history keeps plain-text transcripts of sessions and exports them.
package history

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// Log appends lines to one session's transcript file.
type Log struct {
	mu sync.Mutex
	f  *os.File
}

// NewLog opens the transcript of a session in dir for appending.
func NewLog(dir, sessionID string) (*Log, error) {
	f, err := os.OpenFile(filepath.Join(dir, sessionID+".txt"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open transcript: %w", err)
	}
	return &Log{f: f}, nil
}

// Append writes one line of the conversation.
func (l *Log) Append(role, text string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, err := fmt.Fprintf(l.f, "%s: %s\n", role, text)
	return err
}

// Close flushes and closes the transcript.
func (l *Log) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return errors.Join(l.f.Sync(), l.f.Close())
}

// Export writes the transcripts at paths to w, one after another.
func Export(w io.Writer, paths []string) error {
	for _, path := range paths {
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("open transcript: %w", err)
		}
		defer f.Close()

		if _, err := io.Copy(w, f); err != nil {
			return fmt.Errorf("copy %s: %w", path, err)
		}
	}
	return nil
}

// ExportSafe is Export with each file closed as soon as it is copied, by a
// helper whose defer runs once per file, rather than every file staying
// open until the loop ends.
func ExportSafe(w io.Writer, paths []string) error {
	for _, path := range paths {
		if err := exportOne(w, path); err != nil {
			return err
		}
	}
	return nil
}

func exportOne(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open transcript: %w", err)
	}
	defer f.Close()

	if _, err := io.Copy(w, f); err != nil {
		return fmt.Errorf("copy %s: %w", path, err)
	}
	return nil
}
