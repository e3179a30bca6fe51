// Package agent runs the model's tool calls and delegated tasks.
package agent

import (
	"context"
	"errors"
	"fmt"
	"time"

	"example.com/agentd/internal/registry"
	"example.com/agentd/internal/tools"
)

// cacheableTools are read-only tools whose results may be reused.
var cacheableTools = map[string]bool{"search": true, "fetch": true}

// timeoutTool bounds the run time of the tool it wraps.
type timeoutTool struct {
	original tools.Tool
	timeout  time.Duration
}

// WithTimeout returns t with every run limited to d.
func WithTimeout(t tools.Tool, d time.Duration) tools.Tool {
	return &timeoutTool{original: t, timeout: d}
}

func (t *timeoutTool) Name() string { return t.original.Name() }

func (t *timeoutTool) Run(ctx context.Context, call tools.Call) (tools.Response, error) {
	timeoutCtx, cancel := context.WithTimeout(ctx, t.timeout)
	defer cancel()

	type result struct {
		resp tools.Response
		err  error
	}
	resultChan := make(chan result)

	go func() {
		resp, err := t.original.Run(timeoutCtx, call)
		resultChan <- result{resp: resp, err: err}
	}()

	select {
	case <-timeoutCtx.Done():
		return tools.Response{}, fmt.Errorf("tool %s timed out after %s", t.original.Name(), t.timeout)
	case res := <-resultChan:
		return res.resp, res.err
	}
}

// safeTimeoutTool is timeoutTool with room in the result channel for the one
// result, so the goroutine can always deliver it and exit, even when nobody
// is waiting any more.
type safeTimeoutTool struct {
	original tools.Tool
	timeout  time.Duration
}

// WithTimeoutSafe returns t with every run limited to d.
func WithTimeoutSafe(t tools.Tool, d time.Duration) tools.Tool {
	return &safeTimeoutTool{original: t, timeout: d}
}

func (t *safeTimeoutTool) Name() string { return t.original.Name() }

func (t *safeTimeoutTool) Run(ctx context.Context, call tools.Call) (tools.Response, error) {
	timeoutCtx, cancel := context.WithTimeout(ctx, t.timeout)
	defer cancel()

	type result struct {
		resp tools.Response
		err  error
	}
	resultChan := make(chan result, 1)

	go func() {
		resp, err := t.original.Run(timeoutCtx, call)
		resultChan <- result{resp: resp, err: err}
	}()

	select {
	case <-timeoutCtx.Done():
		return tools.Response{}, fmt.Errorf("tool %s timed out after %s", t.original.Name(), t.timeout)
	case res := <-resultChan:
		return res.resp, res.err
	}
}

// Provider is a model backend.
type Provider interface {
	Name() string
	Complete(ctx context.Context, prompt string) (string, error)
}

type answer struct {
	provider string
	text     string
	err      error
}

// FirstAnswer asks every provider and returns the first successful answer;
// the other requests are cancelled.
func FirstAnswer(ctx context.Context, providers []Provider, prompt string) (string, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	answers := make(chan answer)
	for _, p := range providers {
		go func(p Provider) {
			text, err := p.Complete(ctx, prompt)
			answers <- answer{provider: p.Name(), text: text, err: err}
		}(p)
	}

	var errs []error
	for range providers {
		a := <-answers
		if a.err == nil {
			return a.text, nil
		}
		errs = append(errs, fmt.Errorf("%s: %w", a.provider, a.err))
	}
	return "", errors.Join(errs...)
}

// FirstAnswerSafe is FirstAnswer with one buffer slot per provider, so the
// providers that lose the race can still deliver their answer and exit.
func FirstAnswerSafe(ctx context.Context, providers []Provider, prompt string) (string, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	answers := make(chan answer, len(providers))
	for _, p := range providers {
		go func(p Provider) {
			text, err := p.Complete(ctx, prompt)
			answers <- answer{provider: p.Name(), text: text, err: err}
		}(p)
	}

	var errs []error
	for range providers {
		a := <-answers
		if a.err == nil {
			return a.text, nil
		}
		errs = append(errs, fmt.Errorf("%s: %w", a.provider, a.err))
	}
	return "", errors.Join(errs...)
}

// Coordinator runs the model's tool calls against the registry.
type Coordinator struct {
	registry *registry.Registry
	timeout  time.Duration
}

// NewCoordinator returns a coordinator that gives each tool call timeout.
func NewCoordinator(reg *registry.Registry, timeout time.Duration) *Coordinator {
	return &Coordinator{registry: reg, timeout: timeout}
}

// RunTool runs one call, serving read-only tools from the cache when it can.
func (c *Coordinator) RunTool(ctx context.Context, call tools.Call) (tools.Response, error) {
	t, ok := c.registry.Lookup(call.Name)
	if !ok {
		return tools.TextErrorResponse(fmt.Sprintf("unknown tool %q", call.Name)), nil
	}
	key := call.Name + "\x00" + string(call.Input)
	cacheable := cacheableTools[call.Name]
	if cacheable {
		if resp, ok := c.registry.Cached(key); ok {
			return resp, nil
		}
	}

	resp, err := WithTimeout(t, c.timeout).Run(ctx, call)
	if err != nil {
		return tools.Response{}, fmt.Errorf("tool %s: %w", call.Name, err)
	}
	if cacheable && !resp.IsError {
		c.registry.Store(key, call.Name, resp)
	}
	return resp, nil
}
