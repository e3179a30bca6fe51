package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"example.com/agentd/internal/codesearch"
)

// SearchTool searches public code through the code-search service.
type SearchTool struct {
	Client *codesearch.Client
}

// Name implements Tool.
func (t *SearchTool) Name() string { return "search" }

// Run implements Tool.
func (t *SearchTool) Run(ctx context.Context, call Call) (Response, error) {
	var q codesearch.Query
	if err := json.Unmarshal(call.Input, &q); err != nil {
		return TextErrorResponse("invalid parameters: " + err.Error()), nil
	}
	if q.Limit <= 0 || q.Limit > 100 {
		q.Limit = 20
	}
	res, err := t.Client.SearchChecked(ctx, q)
	if err != nil {
		return TextErrorResponse(err.Error()), nil
	}

	var b strings.Builder
	fmt.Fprintf(&b, "%d matches\n", len(res.Matches))
	for _, m := range res.Matches {
		fmt.Fprintf(&b, "%s/%s:%d: %s\n", m.Repo, m.File, m.Line, strings.TrimSpace(m.Preview))
	}
	return TextResponse(b.String()), nil
}
