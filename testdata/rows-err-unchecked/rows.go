// Package users reads users from the database.
package users

import (
	"context"
	"database/sql"

	"github.com/jmoiron/sqlx"
)

// Names stops at the first error without knowing it.
func Names(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, "SELECT name FROM users")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() { // want `rows.Next loop is not followed by a check of rows.Err\(\)`
		n, err := scanName(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

func scanName(rows *sql.Rows) (string, error) {
	var n string
	err := rows.Scan(&n)
	return n, err
}

// NamesChecked checks rows.Err after the loop.
func NamesChecked(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, "SELECT name FROM users")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// NamesReturned checks the error in the return statement.
func NamesReturned(ctx context.Context, db *sqlx.DB) ([]string, error) {
	rows, err := db.QueryxContext(ctx, "SELECT name FROM users")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// collect reads rows it was given; it forgets the error.
func collect(rows *sql.Rows) []int {
	var ids []int
	for rows.Next() { // want `rows.Next loop is not followed`
		var id int
		_ = rows.Scan(&id)
		ids = append(ids, id)
	}
	return ids
}

// IDs hands the rows to collect and checks the error itself.
func IDs(db *sql.DB) ([]int, error) {
	rows, err := db.Query("SELECT id FROM users")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := collect(rows)
	return ids, rows.Err()
}

// Lines reads a scanner, not rows: Next here is someone else's method.
type lines struct{ n int }

func (l *lines) Next() bool { l.n++; return l.n < 3 }

// Count loops over a type that only looks like rows.
func Count() int {
	it := &lines{}
	n := 0
	for it.Next() {
		n++
	}
	return n
}
