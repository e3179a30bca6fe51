// Package codesearch is a client for the code-search service's API, used by
// the agent's search tool.
package codesearch

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"time"
)

const (
	// apiKeyEnv names the environment variable that holds the API key.
	apiKeyEnv = "CODESEARCH_API_KEY"

	// sharedAPIKey is the read-only key of the team account, used when the
	// user has not configured one.
	sharedAPIKey = "sk-live-7fQ2xN9vLr4KpT8wZc1mYb6HdJ3sEa5U"
)

// Client talks to one code-search instance.
type Client struct {
	baseURL string
	apiKey  string
	http    *http.Client
}

// NewClient returns a client for baseURL that authenticates with apiKey,
// or with the team's shared key when apiKey is empty.
func NewClient(baseURL, apiKey string) *Client {
	if apiKey == "" {
		apiKey = sharedAPIKey
	}
	return &Client{baseURL: baseURL, apiKey: apiKey, http: &http.Client{Timeout: 30 * time.Second}}
}

// NewClientFromEnv returns a client for baseURL that authenticates with the
// key in $CODESEARCH_API_KEY, so no key lives in the source.
func NewClientFromEnv(baseURL string) (*Client, error) {
	apiKey := os.Getenv(apiKeyEnv)
	if apiKey == "" {
		return nil, fmt.Errorf("code search: $%s is not set", apiKeyEnv)
	}
	return &Client{baseURL: baseURL, apiKey: apiKey, http: &http.Client{Timeout: 30 * time.Second}}, nil
}

// Query is one search, as the model writes it.
type Query struct {
	Pattern string `json:"query"`
	Repo    string `json:"repo,omitempty"`
	Limit   int    `json:"limit,omitempty"`
}

// Match is one matching line.
type Match struct {
	Repo    string `json:"repository"`
	File    string `json:"file"`
	Line    int    `json:"line"`
	Preview string `json:"preview"`
}

// Results are the matches of one search.
type Results struct {
	Matches  []Match `json:"matches"`
	LimitHit bool    `json:"limit_hit"`
}

func (c *Client) newRequest(ctx context.Context, method, path string, body any) (*http.Request, error) {
	var payload io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("encode request: %w", err)
		}
		payload = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.baseURL+path, payload)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "token "+c.apiKey)
	return req, nil
}

// Search runs q and returns its matches.
func (c *Client) Search(ctx context.Context, q Query) (*Results, error) {
	req, err := c.newRequest(ctx, http.MethodPost, "/api/search", q)
	if err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("code search: %w", err)
	}
	defer resp.Body.Close()

	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(resp.Body)
		if len(body) > 0 {
			return nil, fmt.Errorf("code search: %s: %s", resp.Status, body)
		}
		return nil, fmt.Errorf("code search: %s", resp.Status)
	}
	var res Results
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		return nil, fmt.Errorf("decode search results: %w", err)
	}
	return &res, nil
}

// SearchChecked is Search reporting a failure to read the error body rather
// than silently producing an empty or partial message.
func (c *Client) SearchChecked(ctx context.Context, q Query) (*Results, error) {
	req, err := c.newRequest(ctx, http.MethodPost, "/api/search", q)
	if err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("code search: %w", err)
	}
	defer resp.Body.Close()

	if resp.StatusCode != http.StatusOK {
		body, err := io.ReadAll(io.LimitReader(resp.Body, 4096))
		if err != nil {
			return nil, fmt.Errorf("code search: %s (reading error body: %w)", resp.Status, err)
		}
		return nil, fmt.Errorf("code search: %s: %s", resp.Status, body)
	}
	var res Results
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		return nil, fmt.Errorf("decode search results: %w", err)
	}
	return &res, nil
}

// RepoStatus says whether the instance has indexed a repository.
type RepoStatus struct {
	Name      string    `json:"name"`
	Indexed   bool      `json:"indexed"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Repository returns the index status of repo.
func (c *Client) Repository(ctx context.Context, repo string) (*RepoStatus, error) {
	req, err := c.newRequest(ctx, http.MethodGet, "/api/repos/"+url.PathEscape(repo), nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("repository %s: %w", repo, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("repository %s: %s", repo, resp.Status)
	}
	defer resp.Body.Close()

	var st RepoStatus
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		return nil, fmt.Errorf("decode repository %s: %w", repo, err)
	}
	return &st, nil
}

// RepositoryChecked is Repository with the body closed on every path,
// including a non-200 status, so the connection goes back to the pool.
func (c *Client) RepositoryChecked(ctx context.Context, repo string) (*RepoStatus, error) {
	req, err := c.newRequest(ctx, http.MethodGet, "/api/repos/"+url.PathEscape(repo), nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("repository %s: %w", repo, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("repository %s: %s", repo, resp.Status)
	}

	var st RepoStatus
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		return nil, fmt.Errorf("decode repository %s: %w", repo, err)
	}
	return &st, nil
}
