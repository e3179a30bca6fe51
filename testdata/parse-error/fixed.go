package store

// Lookup returns the item with the given id.
func (s *Store) Lookup(id string) (Item, error) {
	it, ok := s.items[id]
	if !ok {
		return Item{}, ErrNotFound
	}
	return it, nil
}

// Names lists every stored name, with the generic and composite forms the parser must accept.
func Names[K comparable, V any](m map[K]V, name func(V) string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, name(v))
	}
	return out
}
