// Package store opens the application's database and runs its queries.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"

	"example.com/app/migrate"
)

// Store runs queries against one pool it does not own.
type Store struct {
	db *sql.DB
}

// Connect leaves the pool open when the migration fails: the bug the seed audit found.
func Connect(ctx context.Context, dsn string) (*sql.DB, error) {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if err := db.PingContext(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("ping: %w", err), db.Close())
	}
	if err := migrate.Up(db, "migrations"); err != nil {
		slog.Error("Failed to apply migrations", "error", err)
		return nil, fmt.Errorf("apply migrations: %w", err) // want `db opened at line 21 is not closed when migrate.Up fails \(return at line 30\)`
	}
	return db, nil
}

// ConnectSafe closes the pool on every error path after it was opened.
func ConnectSafe(ctx context.Context, dsn string) (*sql.DB, error) {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if err := migrate.Up(db, "migrations"); err != nil {
		db.Close()
		return nil, fmt.Errorf("apply migrations: %w", err)
	}
	return db, nil
}

// ConnectDeferred closes on error from a deferred closure, a common idiom.
func ConnectDeferred(dsn string) (db *sql.DB, err error) {
	db, err = sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			db.Close()
		}
	}()
	if err = migrate.Up(db, "migrations"); err != nil {
		return nil, err
	}
	return db, nil
}

// NewStore keeps the pool in the struct it returns: the Store owns it now.
func NewStore(dsn string) (*Store, error) {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	return &Store{db: db}, nil
}

// Attach stores the pool in a field of an existing value.
func (s *Store) Attach(dsn string) error {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return err
	}
	s.db = db
	return nil
}

// CountUsers forgets the statement on the error path of Scan.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	stmt, err := s.db.PrepareContext(ctx, "SELECT count(*) FROM users")
	if err != nil {
		return 0, err
	}
	var n int
	if err := stmt.QueryRowContext(ctx).Scan(&n); err != nil {
		return 0, err // want `stmt from s.db.PrepareContext at line 86 is not closed when stmt.QueryRowContext\(ctx\).Scan fails \(return at line 92\)`
	}
	return n, stmt.Close()
}

// Rename forgets to roll back when the update fails.
func (s *Store) Rename(ctx context.Context, id int, name string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE users SET name = ? WHERE id = ?", name, id); err != nil {
		return err // want `transaction tx begun at line 99 is not committed or rolled back when tx.ExecContext fails`
	}
	return tx.Commit()
}

// RenameSafe rolls back on every path; the rollback after a commit is a no-op.
func (s *Store) RenameSafe(ctx context.Context, id int, name string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "UPDATE users SET name = ? WHERE id = ?", name, id); err != nil {
		return err
	}
	return tx.Commit()
}

// PrepareInTx prepares inside a transaction: the statement closes with it.
func (s *Store) PrepareInTx(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, "DELETE FROM users WHERE id = ?")
	if err != nil {
		return err
	}
	for id := 0; id < 3; id++ {
		if _, err := stmt.ExecContext(ctx, id); err != nil {
			return err
		}
	}
	return tx.Commit()
}
