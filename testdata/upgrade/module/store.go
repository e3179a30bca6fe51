// Package upgrade is audited by goaudit c032523 and by today's build: the baseline and the
// suppression comments c032523 honoured must still apply.
package upgrade

import (
	"database/sql"
	"os"
	"sync"
)

// Store keeps open files.
type Store struct {
	mu    sync.Mutex
	files map[string]*os.File
}

// Open opens a database and forgets to close it when the ping fails.
func Open(dsn string) (*sql.DB, error) {
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return nil, err
	}
	if err := db.Ping(); err != nil {
		return nil, err
	}
	return db, nil
}

// Remove deletes a file and ignores the error.
func (s *Store) Remove(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	os.Remove(name)
	delete(s.files, name)
}

// Tidy ignores errors on purpose, said at the line's end.
func Tidy(dir string) {
	os.RemoveAll(dir) //nolint:unchecked-error // best effort
	os.Remove(dir + ".lock") //nolint:errcheck
}

// Quiet is silenced whole, above the declaration.
//
//goaudit:ignore unchecked-error clean-up only
func Quiet(dir string) {
	os.Remove(dir)
	os.Chmod(dir, 0o600)
}

// Read leaks the file on the error path.
func Read(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	buf := make([]byte, 16)
	if _, err := f.Read(buf); err != nil {
		return nil, err
	}
	return buf, f.Close()
}

// Peek leaks the file too, silenced by category at the report's line.
func Peek(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	buf := make([]byte, 4)
	if _, err := f.Read(buf); err != nil {
		return nil, err //nolint:unclosed-resource // the process exits right after
	}
	return buf, f.Close()
}

// Count reads a shared map without the lock.
func (s *Store) Count() int {
	return len(s.files)
}

// Put writes it under the lock.
func (s *Store) Put(name string, f *os.File) {
	s.mu.Lock()
	s.files[name] = f
	s.mu.Unlock()
}
