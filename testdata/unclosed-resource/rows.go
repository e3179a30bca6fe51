package store

import (
	"context"
	"database/sql"
	"log"
)

// Names leaves the rows open when a Scan fails.
func (s *Store) Names(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT name FROM users")
	if err != nil {
		return nil, err
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err // want `rows from s.db.QueryContext at line 11 is not closed when rows.Scan fails \(return at line 19\); also leaks at line 24, 26`
		}
		names = append(names, n)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return names, nil
}

// NamesSafe defers the close right after the error check.
func (s *Store) NamesSafe(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT name FROM users")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, rows.Err()
}

func closeRows(rows *sql.Rows) {
	if err := rows.Close(); err != nil {
		log.Printf("close rows: %v", err)
	}
}

// NamesHelper hands the rows to a closing helper.
func NamesHelper(ctx context.Context, db *sql.DB) (int, error) {
	rows, err := db.QueryContext(ctx, "SELECT name FROM users")
	if err != nil {
		return 0, err
	}
	defer closeRows(rows)
	n := 0
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}

// NamesClosure closes from a deferred closure that ignores the error.
func NamesClosure(ctx context.Context, db *sql.DB) (int, error) {
	rows, err := db.QueryContext(ctx, "SELECT name FROM users")
	if err != nil {
		return 0, err
	}
	defer func() { _ = rows.Close() }()
	n := 0
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}

// Query returns the rows to the caller, who closes them.
func Query(ctx context.Context, db *sql.DB, q string) (*sql.Rows, error) {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// Count never closes the rows at all.
func Count(db *sql.DB) int {
	rows, _ := db.Query("SELECT id FROM users")
	n := 0
	for rows.Next() {
		n++
	}
	return n // want `rows from db.Query at line 92 is not closed before the return at line 97`
}
