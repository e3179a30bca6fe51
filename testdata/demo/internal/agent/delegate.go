package agent

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"example.com/agentd/internal/session"
)

// Runner runs a prompt in a session and returns the model's final answer.
type Runner interface {
	Run(ctx context.Context, sessionID, prompt string) (string, error)
}

// SessionCreator creates sessions; *session.SafeService implements it.
type SessionCreator interface {
	Create(ctx context.Context, title, parentID string) (session.Session, error)
}

// Task is a sub-task the model handed to a delegate.
type Task struct {
	ID            string
	ParentSession string
	Title         string
	Prompt        string
}

// Delegator runs delegated tasks in child sessions and reports their results
// back to the parent session.
type Delegator struct {
	runner   Runner
	sessions SessionCreator

	// baseCtx lives as long as the service and is cancelled at shutdown.
	baseCtx       context.Context
	reportTimeout time.Duration
	reports       sync.WaitGroup
}

// NewDelegator returns a Delegator whose background work ends when baseCtx
// is cancelled.
func NewDelegator(baseCtx context.Context, runner Runner, sessions SessionCreator, reportTimeout time.Duration) *Delegator {
	return &Delegator{runner: runner, sessions: sessions, baseCtx: baseCtx, reportTimeout: reportTimeout}
}

// Delegate runs task in a new child session, starts reporting the result to
// the parent session in the background, and returns the result.
func (d *Delegator) Delegate(ctx context.Context, task Task) (string, error) {
	summary, err := d.runChild(ctx, task)
	if err != nil {
		return "", err
	}
	d.reportAsync(task, summary)
	return summary, nil
}

// DelegateSafe is Delegate with the background report bounded by the
// service's lifetime and a timeout, and tracked so shutdown can wait for it.
func (d *Delegator) DelegateSafe(ctx context.Context, task Task) (string, error) {
	summary, err := d.runChild(ctx, task)
	if err != nil {
		return "", err
	}
	d.reportAsyncSafe(task, summary)
	return summary, nil
}

// Wait blocks until the reports started by DelegateSafe are done.
func (d *Delegator) Wait() {
	d.reports.Wait()
}

func (d *Delegator) runChild(ctx context.Context, task Task) (string, error) {
	child, err := d.sessions.Create(ctx, task.Title, task.ParentSession)
	if err != nil {
		return "", fmt.Errorf("delegate %s: create session: %w", task.ID, err)
	}
	summary, err := d.runner.Run(ctx, child.ID, task.Prompt)
	if err != nil {
		return "", fmt.Errorf("delegate %s: %w", task.ID, err)
	}
	return summary, nil
}

func (d *Delegator) reportAsync(task Task, summary string) {
	go func() {
		reportCtx := context.Background()
		if _, runErr := d.runner.Run(reportCtx, task.ParentSession, reportPrompt(task, summary)); runErr != nil {
			slog.Error("failed to report delegate results", "task", task.ID, "error", runErr)
		}
	}()
}

func (d *Delegator) reportAsyncSafe(task Task, summary string) {
	d.reports.Add(1)
	go func() {
		defer d.reports.Done()
		reportCtx, cancel := context.WithTimeout(d.baseCtx, d.reportTimeout)
		defer cancel()
		if _, runErr := d.runner.Run(reportCtx, task.ParentSession, reportPrompt(task, summary)); runErr != nil {
			slog.Error("failed to report delegate results", "task", task.ID, "error", runErr)
		}
	}()
}

func reportPrompt(task Task, summary string) string {
	return fmt.Sprintf("The delegated task %q (%s) has finished. Its result:\n\n%s",
		task.Title, task.ID, strings.TrimSpace(summary))
}
