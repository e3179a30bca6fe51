package db

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// Session is one row of the sessions table.
type Session struct {
	ID              string
	ParentSessionID sql.NullString
	Title           string
	MessageCount    int64
	CreatedAt       int64
}

// Store runs the agent's queries. It does not own the pool: the caller
// closes it after the last query.
type Store struct {
	db *sql.DB
}

// NewStore returns a Store that queries db.
func NewStore(db *sql.DB) *Store {
	return &Store{db: db}
}

func scanSession(r interface{ Scan(...any) error }) (Session, error) {
	var s Session
	err := r.Scan(&s.ID, &s.ParentSessionID, &s.Title, &s.MessageCount, &s.CreatedAt)
	return s, err
}

// CreateSession inserts s.
func (st *Store) CreateSession(ctx context.Context, s Session) error {
	_, err := st.db.ExecContext(ctx, `INSERT INTO sessions (id, parent_session_id, title, created_at)
		VALUES (?, ?, ?, ?)`, s.ID, s.ParentSessionID, s.Title, time.Now().UnixMilli())
	if err != nil {
		return fmt.Errorf("insert session %s: %w", s.ID, err)
	}
	return nil
}

// GetSession returns the session with the given id. A missing session is an
// error wrapping sql.ErrNoRows.
func (st *Store) GetSession(ctx context.Context, id string) (Session, error) {
	row := st.db.QueryRowContext(ctx, `SELECT id, parent_session_id, title, message_count, created_at
		FROM sessions WHERE id = ?`, id)
	s, err := scanSession(row)
	if err != nil {
		return Session{}, fmt.Errorf("get session %s: %w", id, err)
	}
	return s, nil
}

// ListSessions returns the most recent top-level sessions.
func (st *Store) ListSessions(ctx context.Context, limit int) ([]Session, error) {
	rows, err := st.db.QueryContext(ctx, `SELECT id, parent_session_id, title, message_count, created_at
		FROM sessions WHERE parent_session_id IS NULL ORDER BY created_at DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}

	sessions := make([]Session, 0, limit)
	for rows.Next() {
		s, err := scanSession(rows)
		if err != nil {
			return nil, fmt.Errorf("scan session: %w", err)
		}
		sessions = append(sessions, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	return sessions, nil
}

// ListSessionsSafe is ListSessions with the rows closed on every path,
// including a failed Scan.
func (st *Store) ListSessionsSafe(ctx context.Context, limit int) ([]Session, error) {
	rows, err := st.db.QueryContext(ctx, `SELECT id, parent_session_id, title, message_count, created_at
		FROM sessions WHERE parent_session_id IS NULL ORDER BY created_at DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	defer rows.Close()

	sessions := make([]Session, 0, limit)
	for rows.Next() {
		s, err := scanSession(rows)
		if err != nil {
			return nil, fmt.Errorf("scan session: %w", err)
		}
		sessions = append(sessions, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	return sessions, nil
}

// ChildSessions returns the sessions delegated from parentID, oldest first.
func (st *Store) ChildSessions(ctx context.Context, parentID string) ([]Session, error) {
	rows, err := st.db.QueryContext(ctx, `SELECT id, parent_session_id, title, message_count, created_at
		FROM sessions WHERE parent_session_id = ? ORDER BY created_at`, parentID)
	if err != nil {
		return nil, fmt.Errorf("child sessions of %s: %w", parentID, err)
	}
	defer rows.Close()

	var children []Session
	for rows.Next() {
		s, err := scanSession(rows)
		if err != nil {
			return nil, fmt.Errorf("scan session: %w", err)
		}
		children = append(children, s)
	}
	return children, nil
}

// ChildSessionsSafe is ChildSessions with rows.Err checked after the loop, so
// a connection lost halfway is an error rather than a short list.
func (st *Store) ChildSessionsSafe(ctx context.Context, parentID string) ([]Session, error) {
	rows, err := st.db.QueryContext(ctx, `SELECT id, parent_session_id, title, message_count, created_at
		FROM sessions WHERE parent_session_id = ? ORDER BY created_at`, parentID)
	if err != nil {
		return nil, fmt.Errorf("child sessions of %s: %w", parentID, err)
	}
	defer rows.Close()

	var children []Session
	for rows.Next() {
		s, err := scanSession(rows)
		if err != nil {
			return nil, fmt.Errorf("scan session: %w", err)
		}
		children = append(children, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("child sessions of %s: %w", parentID, err)
	}
	return children, nil
}

// SearchSessions returns the sessions whose title contains term.
func (st *Store) SearchSessions(ctx context.Context, term string) ([]Session, error) {
	query := fmt.Sprintf(`SELECT id, parent_session_id, title, message_count, created_at
		FROM sessions WHERE title LIKE '%%%s%%' ORDER BY created_at DESC LIMIT 50`, term)
	rows, err := st.db.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("search sessions: %w", err)
	}
	defer rows.Close()
	return collectSessions(rows)
}

// SearchSessionsSafe is SearchSessions with term passed as a query argument,
// its LIKE wildcards escaped, so it can never change the statement.
func (st *Store) SearchSessionsSafe(ctx context.Context, term string) ([]Session, error) {
	pattern := "%" + likeEscaper.Replace(term) + "%"
	rows, err := st.db.QueryContext(ctx, `SELECT id, parent_session_id, title, message_count, created_at
		FROM sessions WHERE title LIKE ? ESCAPE '\' ORDER BY created_at DESC LIMIT 50`, pattern)
	if err != nil {
		return nil, fmt.Errorf("search sessions: %w", err)
	}
	defer rows.Close()
	return collectSessions(rows)
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// collectSessions scans every row; the caller closes rows.
func collectSessions(rows *sql.Rows) ([]Session, error) {
	var out []Session
	for rows.Next() {
		s, err := scanSession(rows)
		if err != nil {
			return nil, fmt.Errorf("scan session: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
