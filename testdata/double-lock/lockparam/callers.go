package lockparam

// The callers live in another file of the package than the helpers.

func (s *Store) Clear(keys []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range keys {
		s.drop(k, false)
	}
}

func (s *Store) ClearEvict(keys []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range keys {
		s.evict(k, true)
	}
}

func (s *Store) ClearAll(keys []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dropAll(keys, false)
}

// Reset decides through a local variable: the model cannot prove the lock is taken again.
func (s *Store) Reset(keys []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	again := len(keys) == 0
	for _, k := range keys {
		s.drop(k, again)
	}
}

// Cache embeds a Store: its promoted helper is called with the promoted lock held.
type Cache struct {
	Store
	hits int
}

func (c *Cache) Purge(keys []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range keys {
		c.drop(k, false)
	}
}
