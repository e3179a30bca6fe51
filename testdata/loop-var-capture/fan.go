// Package fan starts goroutines in loops.
package fan

import (
	"fmt"
	"sync"
)

func handle(s string) {}

// All captures the range variable.
func All(items []string) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			handle(it) // want `loop variable it captured by the goroutine at line 16: before Go 1.22 \(go.mod says 1.20\)`
		}()
		fmt.Println("started")
	}
	wg.Wait()
}

// Counter captures the three-clause variable in a deferred closure.
func Counter(n int) {
	for i := 0; i < n; i++ {
		defer func() {
			fmt.Println(i) // want `loop variable i captured by the deferred closure at line 28`
		}()
	}
}

// AllArg passes the variable as an argument.
func AllArg(items []string) {
	for _, it := range items {
		go func(it string) {
			handle(it)
		}(it)
	}
}

// AllCopy copies it first.
func AllCopy(items []string) {
	for _, it := range items {
		it := it
		go func() {
			handle(it)
		}()
	}
}

// Sync calls a closure synchronously: no goroutine.
func Sync(items []string) {
	for _, it := range items {
		func() {
			handle(it)
		}()
	}
}
