// Package tools holds the tools the model may call. Each tool decodes the
// JSON parameters the model wrote, does its work and answers with text the
// model reads.
package tools

import (
	"context"
	"encoding/json"
)

// Call is one tool invocation requested by the model.
type Call struct {
	ID    string          `json:"id"`
	Name  string          `json:"name"`
	Input json.RawMessage `json:"input"`
}

// Response is what the model sees. IsError marks a failure the model should
// react to (a bad parameter, a failing command); a Go error from Run means
// the tool itself could not run.
type Response struct {
	Content string `json:"content"`
	IsError bool   `json:"is_error,omitempty"`
}

// Tool is one capability offered to the model.
type Tool interface {
	Name() string
	Run(ctx context.Context, call Call) (Response, error)
}

// TextResponse answers the model with text.
func TextResponse(s string) Response {
	return Response{Content: s}
}

// TextErrorResponse answers the model with an error it should react to.
func TextErrorResponse(s string) Response {
	return Response{Content: s, IsError: true}
}

// truncate keeps the first max bytes of s and says how much was dropped.
func truncate(s string, max int) string {
	if max <= 0 || len(s) <= max {
		return s
	}
	return s[:max] + "\n... (output truncated)"
}
