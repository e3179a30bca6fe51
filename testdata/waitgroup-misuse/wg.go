// Package warm starts goroutines and waits for them.
package warm

import (
	"context"
	"log"
	"sync"
)

type Provider interface {
	Ping(ctx context.Context) error
}

// WarmUp adds inside the goroutine: Wait may return before it runs.
func WarmUp(ctx context.Context, ps []Provider) {
	var wg sync.WaitGroup
	for _, p := range ps {
		go func(p Provider) {
			log.Print("warming")
			wg.Add(1) // want `wg.Add inside the goroutine it counts \(started at line 18\): wg.Wait at line 25 may return before it runs`
			defer wg.Done()
			_ = p.Ping(ctx)
		}(p)
	}
	wg.Wait()
}

// WarmUpSafe adds before starting each goroutine.
func WarmUpSafe(ctx context.Context, ps []Provider) {
	var wg sync.WaitGroup
	for _, p := range ps {
		wg.Add(1)
		go func(p Provider) {
			defer wg.Done()
			_ = p.Ping(ctx)
		}(p)
	}
	wg.Wait()
}

// Check skips Done on the error path: Wait never returns.
func Check(ctx context.Context, ps []Provider) {
	var wg sync.WaitGroup
	for _, p := range ps {
		wg.Add(1)
		go func(p Provider) {
			if err := p.Ping(ctx); err != nil {
				log.Print(err)
				return // want `goroutine started at line 46 returns at line 49 without wg.Done\(\): wg.Wait never returns`
			}
			wg.Done()
		}(p)
	}
	wg.Wait()
}

// CheckSafe calls Done on both paths.
func CheckSafe(ctx context.Context, ps []Provider) {
	var wg sync.WaitGroup
	for _, p := range ps {
		wg.Add(1)
		go func(p Provider) {
			if err := p.Ping(ctx); err != nil {
				log.Print(err)
				wg.Done()
				return
			}
			wg.Done()
		}(p)
	}
	wg.Wait()
}

func ping(ctx context.Context, p Provider, wg sync.WaitGroup) { // want `wg sync.WaitGroup is passed by value`
	defer wg.Done()
	_ = p.Ping(ctx)
}

func pingSafe(ctx context.Context, p Provider, wg *sync.WaitGroup) {
	defer wg.Done()
	_ = p.Ping(ctx)
}

// Nested adds for the goroutines it starts itself, inside a goroutine counted outside.
func Nested(ctx context.Context, groups [][]Provider) {
	var outer, inner sync.WaitGroup
	outer.Add(1)
	go func() {
		defer outer.Done()
		for _, g := range groups {
			for _, p := range g {
				inner.Add(1)
				go pingSafe(ctx, p, &inner)
			}
		}
		inner.Wait()
	}()
	outer.Wait()
}
