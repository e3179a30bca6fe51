// Package db opens the agent's SQLite database and holds the queries the
// services run against it.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"example.com/agentd/internal/migrate"
)

// Config says where the database lives.
type Config struct {
	Driver        string `json:"driver"` // linked into the binary by main
	DataDir       string `json:"data_dir"`
	MigrationsDir string `json:"migrations_dir"`
}

func (c Config) dsn() string {
	return "file:" + filepath.Join(c.DataDir, "agentd.db") + "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)"
}

// Connect opens the database in cfg.DataDir, checks that it answers and
// brings its schema up to date. The caller owns the returned *sql.DB.
func Connect(ctx context.Context, cfg Config) (*sql.DB, error) {
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("failed to create data directory: %w", err)
	}

	db, err := sql.Open(cfg.Driver, cfg.dsn())
	if err != nil {
		return nil, fmt.Errorf("failed to open database: %w", err)
	}
	db.SetMaxOpenConns(4)

	if err := db.PingContext(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("failed to connect to database: %w", err), db.Close())
	}

	if err := migrate.Up(db, cfg.MigrationsDir); err != nil {
		slog.Error("Failed to apply migrations", "error", err)
		return nil, fmt.Errorf("failed to apply migrations: %w", err)
	}

	return db, nil
}

// ConnectSafe is Connect with the database closed on every error path after
// it was opened, so a failed migration does not leave the pool behind.
func ConnectSafe(ctx context.Context, cfg Config) (*sql.DB, error) {
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("failed to create data directory: %w", err)
	}

	db, err := sql.Open(cfg.Driver, cfg.dsn())
	if err != nil {
		return nil, fmt.Errorf("failed to open database: %w", err)
	}
	db.SetMaxOpenConns(4)

	if err := db.PingContext(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("failed to connect to database: %w", err), db.Close())
	}

	if err := migrate.Up(db, cfg.MigrationsDir); err != nil {
		slog.Error("Failed to apply migrations", "error", err)
		return nil, errors.Join(fmt.Errorf("failed to apply migrations: %w", err), db.Close())
	}

	return db, nil
}
