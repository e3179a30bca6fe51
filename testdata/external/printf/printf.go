// Package printf has a format string that does not match its argument (go vet's printf).
package printf

import "fmt"

// Greet prints a greeting.
func Greet(name string) {
	fmt.Printf("hello %d\n", name)
}

// Quiet is silenced on purpose.
func Quiet(name string) {
	fmt.Printf("bye %d\n", name) //nolint:govet // kept to test suppressions
}
