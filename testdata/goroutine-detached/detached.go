// Package agent runs work in the background: goroutines nothing can stop, beside the fixed
// versions and the idioms that look alike.
package agent

import (
	"context"
	"log"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

type Runner interface {
	Run(ctx context.Context, session, prompt string) (string, error)
}

type Store interface {
	Save(ctx context.Context, key string) error
}

type Delegator struct {
	runner  Runner
	store   Store
	client  *http.Client
	baseCtx context.Context
	reports sync.WaitGroup
	stop    context.CancelFunc
}

type ctxKey struct{}

// Report is the audit's shape: a fresh background context, a call that can hang, nobody waiting.
func (d *Delegator) Report(session, summary string) {
	go func() { // want `goroutine started at line 35 calls d.runner.Run \(line 37\) with reportCtx \(context.Background\(\) at line 36\), which has no deadline and nothing cancels, and nothing waits for the goroutine`
		reportCtx := context.Background()
		if _, err := d.runner.Run(reportCtx, session, summary); err != nil {
			slog.Error("failed to report delegate results", "error", err)
		}
	}()
}

// ReportSafe is its fix: a timeout derived from the service's context, and a WaitGroup that
// Close waits on.
func (d *Delegator) ReportSafe(session, summary string) {
	d.reports.Add(1)
	go func() {
		defer d.reports.Done()
		ctx, cancel := context.WithTimeout(d.baseCtx, time.Minute)
		defer cancel()
		if _, err := d.runner.Run(ctx, session, summary); err != nil {
			slog.Error("failed to report delegate results", "error", err)
		}
	}()
}

// ReportTODO hands context.TODO() straight to the call the goroutine runs.
func (d *Delegator) ReportTODO(session, summary string) {
	go d.runner.Run(context.TODO(), session, summary) // want `goroutine started at line 59 calls d.runner.Run \(line 59\) with context.TODO\(\)`
}

// ReportTimeout gives the background context a deadline: the call cannot hang forever.
func (d *Delegator) ReportTimeout(session, summary string) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		d.runner.Run(ctx, session, summary)
	}()
}

// Save captures a background context made before the goroutine.
func (d *Delegator) Save(key string) {
	ctx := context.Background()
	go func() { // want `calls d.store.Save \(line 75\) with ctx \(context.Background\(\) at line 73\)`
		if err := d.store.Save(ctx, key); err != nil {
			log.Print(err)
		}
	}()
}

// SaveWithValue: a value added to a background context gives it no deadline.
func (d *Delegator) SaveWithValue(key string) {
	ctx := context.WithValue(context.Background(), ctxKey{}, key)
	go func() { // want `calls d.store.Save \(line 85\) with ctx \(context.Background\(\) at line 83\)`
		_ = d.store.Save(ctx, key)
	}()
}

// SaveAfterRequest keeps working after the request's context is gone, with no deadline.
func (d *Delegator) SaveAfterRequest(r *http.Request, key string) {
	ctx := context.WithoutCancel(r.Context())
	go func() { // want `calls d.store.Save \(line 93\) with ctx \(context.WithoutCancel at line 91\)`
		_ = d.store.Save(ctx, key)
	}()
}

// SaveParam passes the background context as the literal's argument.
func (d *Delegator) SaveParam(key string) {
	go func(ctx context.Context) { // want `calls d.store.Save \(line 100\) with ctx \(context.Background\(\) at line 101\)`
		_ = d.store.Save(ctx, key)
	}(context.Background())
}

// Fetch builds its request on a background context: the client sends it with no deadline.
func (d *Delegator) Fetch(url string) {
	go func() { // want `calls d.client.Do \(line 111\) with req \(context.Background\(\) at line 107\)`
		req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, url, nil)
		if err != nil {
			return
		}
		resp, err := d.client.Do(req)
		if err == nil {
			resp.Body.Close()
		}
	}()
}

// Drain is joined: Close waits on the WaitGroup for accepted work to finish, on purpose under a
// background context, so that shutting down does not fail work already accepted.
func (d *Delegator) Drain(key string) {
	d.reports.Add(1)
	go func() {
		defer d.reports.Done()
		_ = d.store.Save(context.Background(), key)
	}()
}

// Answer reports back on a channel its caller waits on.
func (d *Delegator) Answer(key string) <-chan error {
	errc := make(chan error, 1)
	go func() {
		errc <- d.store.Save(context.Background(), key)
	}()
	return errc
}

// Cancellable derives a context whose cancel the owner keeps: Close can stop it.
func (d *Delegator) Cancellable(key string) {
	ctx, cancel := context.WithCancel(context.Background())
	d.stop = cancel
	go func() {
		_ = d.store.Save(ctx, key)
	}()
}

// Logged only hands the background context to log calls: nothing there blocks.
func (d *Delegator) Logged(key string) {
	go func() {
		ctx := context.Background()
		slog.InfoContext(ctx, "saving", "key", key)
		d.logf(ctx, "saved %s", key)
	}()
}

func (d *Delegator) logf(ctx context.Context, format string, args ...any) {
	slog.InfoContext(ctx, format, args...)
}

// Refresh's callee bounds its own work with a timeout.
func (d *Delegator) Refresh() {
	go d.refresh(context.Background())
}

func (d *Delegator) refresh(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	_ = d.store.Save(ctx, "refresh")
}

// Sweep's callee never reads its context.
func (d *Delegator) Sweep() {
	go func() {
		d.sweep(context.TODO())
	}()
}

func (d *Delegator) sweep(_ context.Context) {}

// Serve's callee loops on channels of its own: its owner ends it by closing them.
func (d *Delegator) Serve(jobs <-chan string, quit <-chan struct{}) {
	go d.serve(context.Background(), jobs, quit)
}

func (d *Delegator) serve(ctx context.Context, jobs <-chan string, quit <-chan struct{}) {
	for {
		select {
		case <-quit:
			return
		case j := <-jobs:
			_ = d.store.Save(ctx, j)
		}
	}
}

// Pinger's callee takes the background context and can hang on it: reported at the go.
func (d *Delegator) Pinger() {
	go d.ping(context.Background()) // want `calls d.ping \(line 197\) with context.Background\(\)`
}

func (d *Delegator) ping(ctx context.Context) {
	_ = d.store.Save(ctx, "ping")
}

// Stopper waits for a server to drain: Shutdown is how a background context is meant to be used.
func Stopper(srv *http.Server) {
	go func() {
		_ = srv.Shutdown(context.Background())
	}()
}

// Shadowed: the name ctx is rebound to the service's context before the goroutine.
func (d *Delegator) Shadowed(key string) {
	ctx := context.Background()
	ctx = d.baseCtx
	go func() {
		_ = d.store.Save(ctx, key)
	}()
}

// MaybeBase replaces the background context on one branch: which context the goroutine gets is
// not known from the syntax.
func (d *Delegator) MaybeBase(key string, base func() context.Context) {
	ctx := context.Background()
	if base != nil {
		ctx = base()
	}
	go func() {
		_ = d.store.Save(ctx, key)
	}()
}

type conn interface {
	Serve(ctx context.Context) error
	Close() error
}

// ServeConn's callee serves a connection and closes it when done: the owner ends the goroutine by
// closing the connection.
func (d *Delegator) ServeConn(c conn) {
	go d.serveConn(context.Background(), c)
}

func (d *Delegator) serveConn(ctx context.Context, c conn) {
	defer c.Close()
	_ = c.Serve(ctx)
}

type manager struct{}

func (manager) AddContext(parent context.Context, name string) (context.Context, context.CancelFunc, func()) {
	return parent, func() {}, func() {}
}

// Managed derives the context through a manager that hands back its cancel: it can be cancelled.
func (d *Delegator) Managed(m manager, key string) {
	ctx, cancel, finished := m.AddContext(context.Background(), "indexer")
	d.stop = cancel
	defer finished()
	go func() {
		_ = d.store.Save(ctx, key)
	}()
}

type prober struct{ stopCh chan struct{} }

func (p *prober) run(ctx context.Context, d *Delegator) {
	for {
		select {
		case <-p.stopCh:
			return
		case <-time.After(time.Second):
			_ = d.store.Save(ctx, "probe")
		}
	}
}

// Probe starts a worker of another type whose loop waits on its own stop channel.
func (d *Delegator) Probe(p *prober) {
	go p.run(context.Background(), d)
}

// Node is a component that lives as long as the process: no Close, Stop or Shutdown.
type Node struct{ d *Delegator }

// Run starts the node's daemons, meant to run until the process exits.
func (n *Node) Run() {
	go n.d.store.Save(context.Background(), "lease")
}

// Service can be stopped, so what its Start leaves running is a leak.
type Service struct{ d *Delegator }

func (s *Service) Start() {
	go s.d.store.Save(context.Background(), "lease") // want `calls s.d.store.Save \(line 294\) with context.Background\(\)`
}

func (s *Service) Stop() {}
