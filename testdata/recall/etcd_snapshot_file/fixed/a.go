// Package snapshot: save a remote snapshot to disk through a temporary file.
package snapshot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
)

type Client interface {
	Snapshot(ctx context.Context) (io.ReadCloser, error)
}

// Save streams the snapshot into dbPath, via dbPath+".part".
func Save(ctx context.Context, cli Client, dbPath string) error {
	part := dbPath + ".part"
	defer os.RemoveAll(part)

	f, err := os.OpenFile(part, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("could not open %s: %w", part, err)
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && !errors.Is(cerr, os.ErrClosed) {
			log.Printf("closing %s: %v", part, cerr)
		}
	}()
	rc, err := cli.Snapshot(ctx)
	if err != nil {
		return err
	}
	defer rc.Close()
	if _, err := io.Copy(f, rc); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(part, dbPath)
}
