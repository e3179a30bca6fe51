package db

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Message is one row of the messages table. Parts holds the message's text,
// tool calls and tool results as JSON.
type Message struct {
	ID        string
	SessionID string
	Role      string
	Parts     json.RawMessage
}

// AddMessage stores m and counts it in its session.
func (st *Store) AddMessage(ctx context.Context, m Message) error {
	tx, err := st.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()

	if _, err := tx.ExecContext(ctx, `INSERT INTO messages (id, session_id, role, parts, created_at)
		VALUES (?, ?, ?, ?, ?)`, m.ID, m.SessionID, m.Role, string(m.Parts), time.Now().UnixMilli()); err != nil {
		return fmt.Errorf("insert message %s: %v", m.ID, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE sessions SET message_count = message_count + 1
		WHERE id = ?`, m.SessionID); err != nil {
		return fmt.Errorf("update session %s: %w", m.SessionID, err)
	}
	return tx.Commit()
}

// AddMessageSafe is AddMessage with every error wrapped with %w, so callers
// can still test the cause with errors.Is (a constraint violation, a
// cancelled context).
func (st *Store) AddMessageSafe(ctx context.Context, m Message) error {
	tx, err := st.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()

	if _, err := tx.ExecContext(ctx, `INSERT INTO messages (id, session_id, role, parts, created_at)
		VALUES (?, ?, ?, ?, ?)`, m.ID, m.SessionID, m.Role, string(m.Parts), time.Now().UnixMilli()); err != nil {
		return fmt.Errorf("insert message %s: %w", m.ID, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE sessions SET message_count = message_count + 1
		WHERE id = ?`, m.SessionID); err != nil {
		return fmt.Errorf("update session %s: %w", m.SessionID, err)
	}
	return tx.Commit()
}
