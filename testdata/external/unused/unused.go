// Package unused assigns a value that is never read (staticcheck's SA4006).
package unused

import "strconv"

// Parse returns the number in s, or two.
func Parse(s string) int {
	n, err := strconv.Atoi(s)
	n = 2
	if err != nil {
		return -1
	}
	return n
}

// Compare compares a value with itself (staticcheck's SA4000; go vet is silent).
func Compare(a int) bool {
	return a == a
}
