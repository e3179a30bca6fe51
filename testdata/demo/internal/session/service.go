// Package session manages the agent's conversation sessions: a cache in
// front of the database, and events for the UI.
package session

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"example.com/agentd/internal/db"
)

// ErrNotFound is returned when no session has the requested id.
var ErrNotFound = errors.New("session not found")

// Session is the service's view of a conversation.
type Session struct {
	ID       string `json:"id"`
	ParentID string `json:"parent_id,omitempty"`
	Title    string `json:"title"`
}

func newSession(title, parentID string) (Session, db.Session, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return Session{}, db.Session{}, fmt.Errorf("generate session id: %w", err)
	}
	s := Session{ID: hex.EncodeToString(b[:]), ParentID: parentID, Title: title}
	row := db.Session{ID: s.ID, Title: title, ParentSessionID: sql.NullString{String: parentID, Valid: parentID != ""}}
	return s, row, nil
}

func fromRow(r db.Session) Session {
	return Session{ID: r.ID, ParentID: r.ParentSessionID.String, Title: r.Title}
}

// Service creates and looks up sessions, keeping the ones it has seen in
// memory.
type Service struct {
	store    *db.Store
	events   *Broker
	sessions map[string]Session
}

// NewService returns a Service backed by store that publishes to events.
func NewService(store *db.Store, events *Broker) *Service {
	return &Service{store: store, events: events, sessions: make(map[string]Session)}
}

// Create stores a new session and announces it.
func (s *Service) Create(ctx context.Context, title, parentID string) (Session, error) {
	sess, row, err := newSession(title, parentID)
	if err != nil {
		return Session{}, err
	}
	if err := s.store.CreateSession(ctx, row); err != nil {
		return Session{}, fmt.Errorf("create session: %w", err)
	}
	s.sessions[sess.ID] = sess
	s.events.Publish(EventCreated, sess)
	return sess, nil
}

// Get returns the session with the given id, or ErrNotFound.
func (s *Service) Get(ctx context.Context, id string) (Session, error) {
	if sess, ok := s.sessions[id]; ok {
		return sess, nil
	}
	row, err := s.store.GetSession(ctx, id)
	if err == sql.ErrNoRows {
		return Session{}, ErrNotFound
	}
	if err != nil {
		return Session{}, err
	}
	return fromRow(row), nil
}

// CreateChildren creates one child session of parentID per title, in
// parallel, and returns how many were created.
func (s *Service) CreateChildren(ctx context.Context, parentID string, titles []string) int {
	var wg sync.WaitGroup
	created := make(chan struct{}, len(titles))
	for _, title := range titles {
		wg.Add(1)
		go func(title string) {
			defer wg.Done()
			if _, err := s.Create(ctx, title, parentID); err != nil {
				slog.Warn("create child session", "parent", parentID, "error", err)
				return
			}
			created <- struct{}{}
		}(title)
	}
	wg.Wait()
	return len(created)
}

// SafeService is Service with its cache guarded by a mutex, so Create may be
// called from many goroutines and HTTP handlers at once. It tests store
// errors with errors.Is, which sees through the store's wrapping.
type SafeService struct {
	store  *db.Store
	events *Broker

	mu       sync.RWMutex
	sessions map[string]Session
}

// NewSafeService returns a SafeService backed by store that publishes to events.
func NewSafeService(store *db.Store, events *Broker) *SafeService {
	return &SafeService{store: store, events: events, sessions: make(map[string]Session)}
}

// Create stores a new session and announces it.
func (s *SafeService) Create(ctx context.Context, title, parentID string) (Session, error) {
	sess, row, err := newSession(title, parentID)
	if err != nil {
		return Session{}, err
	}
	if err := s.store.CreateSession(ctx, row); err != nil {
		return Session{}, fmt.Errorf("create session: %w", err)
	}
	s.mu.Lock()
	s.sessions[sess.ID] = sess
	s.mu.Unlock()
	s.events.Publish(EventCreated, sess)
	return sess, nil
}

// Get returns the session with the given id, or ErrNotFound.
func (s *SafeService) Get(ctx context.Context, id string) (Session, error) {
	s.mu.RLock()
	sess, ok := s.sessions[id]
	s.mu.RUnlock()
	if ok {
		return sess, nil
	}
	row, err := s.store.GetSession(ctx, id)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, ErrNotFound
	}
	if err != nil {
		return Session{}, err
	}
	return fromRow(row), nil
}

// CreateChildren creates one child session of parentID per title, in
// parallel, and returns how many were created.
func (s *SafeService) CreateChildren(ctx context.Context, parentID string, titles []string) int {
	var wg sync.WaitGroup
	created := make(chan struct{}, len(titles))
	for _, title := range titles {
		wg.Add(1)
		go func(title string) {
			defer wg.Done()
			if _, err := s.Create(ctx, title, parentID); err != nil {
				slog.Warn("create child session", "parent", parentID, "error", err)
				return
			}
			created <- struct{}{}
		}(title)
	}
	wg.Wait()
	return len(created)
}
