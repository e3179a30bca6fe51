package store

import (
	"example.com/app/blob"
	"example.com/app/pool"
)

// ReadBlob leaks the project's own handle when the read fails. No fix: the release of a
// project's own acquire is not known to take no arguments or to return an error.
func ReadBlob(name string) ([]byte, error) {
	b, err := blob.Open(name)
	if err != nil {
		return nil, err
	}
	data, err := b.ReadAll()
	if err != nil {
		return nil, err // want `b from blob.Open at line 11 is not released \(Close\) when b.ReadAll fails`
	}
	return data, b.Close()
}

// Borrow puts the connection back on every path.
func Borrow(p *pool.Pool, f func(*pool.Conn) error) error {
	c, err := p.Get()
	if err != nil {
		return err
	}
	defer c.Put()
	return f(c)
}

// BorrowLeaky forgets to put it back when f fails.
func BorrowLeaky(p *pool.Pool, f func(*pool.Conn) error) error {
	c, err := p.Get()
	if err != nil {
		return err
	}
	if err := f(c); err != nil {
		return err // want `c from p.Get at line 34 is not released \(Put\) when f fails`
	}
	c.Put()
	return nil
}
