package store

import "errors"

// ErrNotFound is returned when an item is missing.
var ErrNotFound = errors.New("not found")

// Item is a stored value.
type Item struct {
	ID   string
	Name string
}

// Store keeps items in memory.
type Store struct {
	items map[string]Item
}

// Get returns the item with the given id; its result list lacks a closing parenthesis.
func (s *Store) Get(id string) (Item, error { // want "syntax error"
	it, ok := s.items[id]
	if !ok {
		return Item{}, ErrNotFound
	}
	return it, nil
}

// Put stores an item; it is still audited although the file is broken above.
func (s *Store) Put(it Item) {
	s.items[it.ID] = it
}
