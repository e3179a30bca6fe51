package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

const maxFetchBytes = 1 << 20

// FetchParams are the parameters the model sends to the fetch tool.
type FetchParams struct {
	URL string `json:"url"`
}

// FetchTool downloads a web page for the model.
type FetchTool struct {
	Client *http.Client
}

// Name implements Tool.
func (t *FetchTool) Name() string { return "fetch" }

// Run implements Tool.
func (t *FetchTool) Run(ctx context.Context, call Call) (Response, error) {
	var p FetchParams
	if err := json.Unmarshal(call.Input, &p); err != nil {
		return TextErrorResponse("invalid parameters: " + err.Error()), nil
	}
	if !strings.HasPrefix(p.URL, "http://") && !strings.HasPrefix(p.URL, "https://") {
		return TextErrorResponse("url must start with http:// or https://"), nil
	}

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.URL, nil)
	if err != nil {
		return TextErrorResponse("invalid url: " + err.Error()), nil
	}
	return t.do(req)
}

func (t *FetchTool) do(req *http.Request) (Response, error) {
	req.Header.Set("User-Agent", "agentd/1.0")
	resp, err := t.Client.Do(req)
	if err != nil {
		return TextErrorResponse("fetch failed: " + err.Error()), nil
	}
	defer resp.Body.Close()

	if resp.StatusCode != http.StatusOK {
		return TextErrorResponse(fmt.Sprintf("fetch %s: %s", req.URL, resp.Status)), nil
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxFetchBytes))
	if err != nil {
		return Response{}, fmt.Errorf("read %s: %w", req.URL, err)
	}
	return TextResponse(string(body)), nil
}

// SafeFetchTool is the safe counterpart of FetchTool: it only fetches https
// URLs on hosts it was configured with, so the model cannot make the agent
// request internal addresses such as 169.254.169.254 or localhost.
type SafeFetchTool struct {
	FetchTool
	AllowedHosts map[string]bool
}

// Run implements Tool.
func (t *SafeFetchTool) Run(ctx context.Context, call Call) (Response, error) {
	var p FetchParams
	if err := json.Unmarshal(call.Input, &p); err != nil {
		return TextErrorResponse("invalid parameters: " + err.Error()), nil
	}
	u, err := url.Parse(p.URL)
	if err != nil {
		return TextErrorResponse("invalid url: " + err.Error()), nil
	}
	if u.Scheme != "https" || !t.AllowedHosts[u.Hostname()] {
		return TextErrorResponse(fmt.Sprintf("fetching %q is not allowed", u.Redacted())), nil
	}

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return TextErrorResponse("invalid url: " + err.Error()), nil
	}
	return t.do(req)
}
