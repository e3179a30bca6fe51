// Package config loads and saves agentd's settings file.
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"example.com/agentd/internal/db"
)

// Config is the settings file.
type Config struct {
	Addr             string    `json:"addr"`
	Workspace        string    `json:"workspace"`
	DB               db.Config `json:"db"`
	ToolTimeoutSecs  int       `json:"tool_timeout_secs"`
	SearchURL        string    `json:"search_url"`
	AllowedPrograms  []string  `json:"allowed_programs"`
	AllowedFetchHost []string  `json:"allowed_fetch_hosts"`
}

// Default returns the settings used when there is no file.
func Default() Config {
	return Config{
		Addr:             "localhost:7420",
		Workspace:        ".",
		DB:               db.Config{Driver: "sqlite", DataDir: ".agentd", MigrationsDir: "migrations"},
		ToolTimeoutSecs:  120,
		SearchURL:        "https://codesearch.example.com",
		AllowedPrograms:  []string{"go", "git", "ls", "grep"},
		AllowedFetchHost: []string{"pkg.go.dev", "go.dev"},
	}
}

// Load reads the settings at path over the defaults. A missing file is not
// an error.
func Load(path string) (Config, error) {
	cfg := Default()
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return cfg, nil
	}
	if err != nil {
		return Config{}, fmt.Errorf("read config: %w", err)
	}
	if err := json.Unmarshal(data, &cfg); err != nil {
		return Config{}, fmt.Errorf("parse %s: %w", path, err)
	}
	return cfg, nil
}

// Save writes the settings to path, creating its directory.
func (c *Config) Save(path string) error {
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return fmt.Errorf("encode config: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("create config directory: %w", err)
	}
	os.WriteFile(path, data, 0o600)
	return nil
}

// SaveChecked is Save returning the error from writing the file, so a full
// disk or a read-only directory is reported instead of losing the settings.
func (c *Config) SaveChecked(path string) error {
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return fmt.Errorf("encode config: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("create config directory: %w", err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	return nil
}
