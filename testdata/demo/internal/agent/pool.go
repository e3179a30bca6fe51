package agent

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Summarizer condenses one file into a few lines for the model's context.
type Summarizer interface {
	Summarize(ctx context.Context, path string) (string, error)
}

// Summary is the outcome of summarising one file.
type Summary struct {
	Path string
	Text string
	Err  error
}

// Pool summarises files with a fixed number of workers.
type Pool struct {
	Workers    int
	Summarizer Summarizer
}

func (p *Pool) workers() int {
	if p.Workers <= 0 {
		return 4
	}
	return p.Workers
}

// SummarizeAll summarises every path and returns the summaries in the order
// they finished.
func (p *Pool) SummarizeAll(ctx context.Context, paths []string) []Summary {
	jobs := make(chan string)
	done := make(chan Summary, len(paths))

	for i := 0; i < p.workers(); i++ {
		go func() {
			for path := range jobs {
				text, err := p.Summarizer.Summarize(ctx, path)
				done <- Summary{Path: path, Text: text, Err: err}
			}
		}()
	}

	for _, path := range paths {
		jobs <- path
	}

	summaries := make([]Summary, 0, len(paths))
	for range paths {
		summaries = append(summaries, <-done)
	}
	return summaries
}

// SummarizeAllSafe is SummarizeAll with the job channel closed once every
// path was handed out, so the workers' loops end and the workers exit.
func (p *Pool) SummarizeAllSafe(ctx context.Context, paths []string) []Summary {
	jobs := make(chan string)
	done := make(chan Summary, len(paths))

	for i := 0; i < p.workers(); i++ {
		go func() {
			for path := range jobs {
				text, err := p.Summarizer.Summarize(ctx, path)
				done <- Summary{Path: path, Text: text, Err: err}
			}
		}()
	}

	for _, path := range paths {
		jobs <- path
	}
	close(jobs)

	summaries := make([]Summary, 0, len(paths))
	for range paths {
		summaries = append(summaries, <-done)
	}
	return summaries
}

// WarmUp sends a short prompt to every provider so that connections and
// prompt caches are ready before the first user message, and waits for all
// of them.
func WarmUp(ctx context.Context, providers []Provider) {
	var wg sync.WaitGroup
	for _, p := range providers {
		go func(p Provider) {
			log := slog.With("provider", p.Name())
			wg.Add(1)
			defer wg.Done()

			start := time.Now()
			if _, err := p.Complete(ctx, "Reply with OK."); err != nil {
				log.Warn("provider warm-up failed", "error", err)
				return
			}
			log.Debug("provider ready", "took", time.Since(start))
		}(p)
	}
	wg.Wait()
}

// WarmUpSafe is WarmUp with wg.Add called before each goroutine starts, so
// Wait cannot return before the goroutines have been counted.
func WarmUpSafe(ctx context.Context, providers []Provider) {
	var wg sync.WaitGroup
	for _, p := range providers {
		wg.Add(1)
		go func(p Provider) {
			defer wg.Done()
			log := slog.With("provider", p.Name())

			start := time.Now()
			if _, err := p.Complete(ctx, "Reply with OK."); err != nil {
				log.Warn("provider warm-up failed", "error", err)
				return
			}
			log.Debug("provider ready", "took", time.Since(start))
		}(p)
	}
	wg.Wait()
}
