package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"sync/atomic"

	"example.com/agentd/internal/session"
	"example.com/agentd/internal/tools"
)

var streamSeq atomic.Int64

type createSessionRequest struct {
	Title    string `json:"title"`
	ParentID string `json:"parent_id,omitempty"`
}

func (s *Server) handleCreateSession(w http.ResponseWriter, r *http.Request) {
	var req createSessionRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "invalid JSON body")
		return
	}
	if req.Title == "" {
		writeError(w, http.StatusBadRequest, "title is required")
		return
	}
	sess, err := s.sessions.Create(r.Context(), req.Title, req.ParentID)
	if err != nil {
		slog.Error("create session", "error", err)
		writeError(w, http.StatusInternalServerError, "could not create session")
		return
	}
	writeJSON(w, http.StatusCreated, sess)
}

func (s *Server) handleGetSession(w http.ResponseWriter, r *http.Request) {
	sess, err := s.sessions.Get(r.Context(), r.PathValue("id"))
	if errors.Is(err, session.ErrNotFound) {
		writeError(w, http.StatusNotFound, "no such session")
		return
	}
	if err != nil {
		slog.Error("get session", "error", err)
		writeError(w, http.StatusInternalServerError, "could not load session")
		return
	}
	writeJSON(w, http.StatusOK, sess)
}

func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	term := r.URL.Query().Get("q")
	if term == "" {
		writeError(w, http.StatusBadRequest, "missing q")
		return
	}
	sessions, err := s.store.SearchSessions(r.Context(), term)
	if err != nil {
		slog.Error("search sessions", "error", err)
		writeError(w, http.StatusInternalServerError, "search failed")
		return
	}
	writeJSON(w, http.StatusOK, sessions)
}

// handleRunTool runs one tool call the model made, as relayed by the UI.
func (s *Server) handleRunTool(w http.ResponseWriter, r *http.Request) {
	var call tools.Call
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&call); err != nil {
		writeError(w, http.StatusBadRequest, "invalid JSON body")
		return
	}
	resp, err := s.coordinator.RunTool(r.Context(), call)
	if err != nil {
		slog.Error("run tool", "tool", call.Name, "error", err)
		writeError(w, http.StatusInternalServerError, "tool failed")
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// handleEvents streams session events as server-sent events until the client
// goes away or the server stops.
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		writeError(w, http.StatusInternalServerError, "streaming unsupported")
		return
	}
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()

	id := strconv.FormatInt(streamSeq.Add(1), 10)
	if err := s.addStream(id, cancel); err != nil {
		writeError(w, http.StatusServiceUnavailable, err.Error())
		return
	}
	defer s.removeStream(id)

	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	flusher.Flush()

	for ev := range s.events.Subscribe(ctx) {
		data, err := json.Marshal(ev.Session)
		if err != nil {
			slog.Error("encode event", "error", err)
			continue
		}
		if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", ev.Kind, data); err != nil {
			return
		}
		flusher.Flush()
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		slog.Error("encode response", "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}
