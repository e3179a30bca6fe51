package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
)

type Store struct {
	db *sql.DB
}

const table = "sessions"

// Search splices the term into the statement.
func (s *Store) Search(ctx context.Context, term string) (*sql.Rows, error) {
	query := fmt.Sprintf("SELECT id FROM sessions WHERE title LIKE '%%%s%%'", term)
	return s.db.QueryContext(ctx, query) // want `query built with fmt.Sprintf from term \(parameter of Search\) reaches QueryContext at line 20`
}

// SearchSafe passes the term as an argument.
func (s *Store) SearchSafe(ctx context.Context, term string) (*sql.Rows, error) {
	return s.db.QueryContext(ctx, "SELECT id FROM sessions WHERE title LIKE ?", "%"+term+"%")
}

// Delete concatenates the id into the statement.
func (s *Store) Delete(id string) error {
	_, err := s.db.Exec("DELETE FROM sessions WHERE id = '" + id + "'") // want `query built with \+ from id \(parameter of Delete\) reaches Exec`
	return err
}

// DeleteSafe uses a placeholder.
func (s *Store) DeleteSafe(id string) error {
	_, err := s.db.Exec("DELETE FROM sessions WHERE id = ?", id)
	return err
}

// ByIDs builds a placeholder list: not data.
func (s *Store) ByIDs(ids []any) (*sql.Rows, error) {
	q := "SELECT id FROM " + table + " WHERE id IN (" + strings.Repeat("?,", len(ids)-1) + "?)"
	return s.db.Query(q, ids...)
}

// ByIDsPg numbers the placeholders.
func (s *Store) ByIDsPg(ids []any) (*sql.Rows, error) {
	holders := make([]string, len(ids))
	for i := range ids {
		holders[i] = "$" + strconv.Itoa(i+1)
	}
	q := "SELECT id FROM sessions WHERE id IN (" + strings.Join(holders, ",") + ")"
	return s.db.Query(q, ids...)
}

// Page formats numbers only.
func (s *Store) Page(limit, offset int) (*sql.Rows, error) {
	return s.db.Query(fmt.Sprintf("SELECT id FROM sessions LIMIT %d OFFSET %d", limit, offset))
}

// Sorted appends an ORDER BY column chosen by the caller.
func (s *Store) Sorted(ctx context.Context, column string) (*sql.Rows, error) {
	q := "SELECT id FROM sessions"
	q += " ORDER BY " + column
	return s.db.QueryContext(ctx, q) // want `query built with \+= from column`
}

// Count uses a constant table name.
func (s *Store) Count(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM "+table).Scan(&n)
	return n, err
}

// Prepare builds a statement from a field.
func (s *Store) PrepareFor(t struct{ Name string }) (*sql.Stmt, error) {
	return s.db.Prepare("INSERT INTO " + t.Name + " VALUES (?)") // want `query built with \+ from t.Name reaches Prepare`
}
