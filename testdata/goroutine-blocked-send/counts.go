package tools

import (
	"context"
	"time"
)

type price struct {
	shop  string
	cents int
}

func ask(shop string) price { return price{shop: shop, cents: len(shop)} }

// Cheaper asks two shops at once and reads both answers in one statement: neither sender
// can block.
func Cheaper(a, b string) string {
	answers := make(chan price)
	go func() { answers <- ask(a) }()
	go func() { answers <- ask(b) }()
	first, second := <-answers, <-answers
	if second.cents < first.cents {
		return second.shop
	}
	return first.shop
}

// CheapestOfThree asks three shops and reads two answers: the third sender blocks forever.
func CheapestOfThree(a, b, c string) string {
	answers := make(chan price)
	go func() { answers <- ask(a) }() // want `goroutines started at line 31 each send on unbuffered answers \(line 31\); CheapestOfThree returns at line 36 before receiving every value`
	go func() { answers <- ask(b) }()
	go func() { answers <- ask(c) }()
	first, second := <-answers, <-answers
	if second.cents < first.cents {
		return second.shop
	}
	return first.shop
}

func dial() error { return nil }
func tick()       {}

// Watch's goroutine sends at most once (its error branch returns), into a buffer of one.
func Watch(ctx context.Context) error {
	failed := make(chan error, 1)
	go func() {
		if err := dial(); err != nil {
			failed <- err
			return
		}
		for ctx.Err() == nil {
			tick()
		}
	}()
	select {
	case err := <-failed:
		return err
	case <-time.After(time.Second):
		return nil
	}
}

// WatchTwice's goroutine sends two values into a buffer of one, and Watch may stop after
// the first or before any: the second send blocks forever.
func WatchTwice() error {
	failed := make(chan error, 1)
	go func() {
		failed <- dial() // want `goroutine started at line 68 sends 2 values on failed \(buffer 1\) \(line 69\); WatchTwice returns at line 76 on timeout and nobody receives`
		failed <- dial()
	}()
	select {
	case err := <-failed:
		return err
	case <-time.After(time.Second):
		return nil
	}
}

// WatchBuffered has room for both values.
func WatchBuffered() error {
	failed := make(chan error, 2)
	go func() {
		failed <- dial()
		failed <- dial()
	}()
	select {
	case err := <-failed:
		return err
	case <-time.After(time.Second):
		return nil
	}
}
