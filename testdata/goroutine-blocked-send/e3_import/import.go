// Package importer streams rows from a scanner goroutine into a store.
package importer

import "context"

type row struct{ key string }

type Store interface{ Put(r row) error }

type Importer struct{ store Store }

// scan sends one row per key; it has no way to learn that the reader left.
func scan(keys []string, out chan<- row) {
	for _, k := range keys {
		if k == "" {
			continue
		}
		out <- row{key: k} // want `goroutine started at line 24 sends on unbuffered rows through scan \(line 18\); Import returns at line 30`
	}
}

func (im *Importer) Import(ctx context.Context, keys []string) error {
	rows := make(chan row)
	go func() {
		defer close(rows)
		scan(keys, rows)
	}()
	for r := range rows {
		if err := im.store.Put(r); err != nil {
			return err
		}
	}
	return nil
}

// Drain keeps reading after the first error, so the scanner always finishes.
func (im *Importer) Drain(keys []string) error {
	rows := make(chan row)
	go func() {
		defer close(rows)
		scan(keys, rows)
	}()
	var first error
	for r := range rows {
		if err := im.store.Put(r); err != nil && first == nil {
			first = err
		}
	}
	return first
}
