// Package agent reports results in the background.
package agent

import (
	"context"
	"log"
	"sync"
	"time"
)

type Runner interface {
	Run(ctx context.Context, prompt string) (string, error)
}

type Delegator struct {
	runner  Runner
	baseCtx context.Context
	reports sync.WaitGroup
}

// Report starts a goroutine that nothing can stop.
func (d *Delegator) Report(prompt string) {
	go func() { // want `goroutine started at line 23 calls d.runner.Run \(line 25\) with reportCtx \(context.Background\(\) at line 24\), which has no deadline`
		reportCtx := context.Background()
		if _, err := d.runner.Run(reportCtx, prompt); err != nil {
			log.Print(err)
		}
	}()
}

// ReportDirect passes context.TODO straight in.
func (d *Delegator) ReportDirect(prompt string) {
	go d.runner.Run(context.TODO(), prompt) // want `goroutine started at line 33 calls d.runner.Run \(line 33\) with context.TODO\(\)`
}

// ReportSafe bounds the report by the service's context and a timeout.
func (d *Delegator) ReportSafe(prompt string) {
	d.reports.Add(1)
	go func() {
		defer d.reports.Done()
		ctx, cancel := context.WithTimeout(d.baseCtx, time.Minute)
		defer cancel()
		if _, err := d.runner.Run(ctx, prompt); err != nil {
			log.Print(err)
		}
	}()
}

// ReportTimeout gives the background context a deadline.
func (d *Delegator) ReportTimeout(prompt string) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		d.runner.Run(ctx, prompt)
	}()
}
