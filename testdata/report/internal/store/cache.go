package store

// Cache remembers the last value read ("é" marks a non-ASCII line).
type Cache struct {
	last string
}

// Remember keeps v.
func (c *Cache) Remember(v string) error {
	c.last = v
	return nil
}

// Last returns what was remembered.
func (c *Cache) Last() (string, error {
	return c.last, nil
}
