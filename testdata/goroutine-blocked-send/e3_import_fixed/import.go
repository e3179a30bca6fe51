// Package importer streams rows from a scanner goroutine into a store.
package importer

import "context"

type row struct{ key string }

type Store interface{ Put(r row) error }

type Importer struct{ store Store }

// scan sends one row per key until ctx is done.
func scan(ctx context.Context, keys []string, out chan<- row) {
	for _, k := range keys {
		if k == "" {
			continue
		}
		select {
		case out <- row{key: k}:
		case <-ctx.Done():
			return
		}
	}
}

func (im *Importer) Import(ctx context.Context, keys []string) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // the scanner returns once Import does
	rows := make(chan row)
	go func() {
		defer close(rows)
		scan(ctx, keys, rows)
	}()
	for r := range rows {
		if err := im.store.Put(r); err != nil {
			return err
		}
	}
	return nil
}

// Drain keeps reading after the first error, so the scanner always finishes.
func (im *Importer) Drain(ctx context.Context, keys []string) error {
	rows := make(chan row)
	go func() {
		defer close(rows)
		scan(ctx, keys, rows)
	}()
	var first error
	for r := range rows {
		if err := im.store.Put(r); err != nil && first == nil {
			first = err
		}
	}
	return first
}
