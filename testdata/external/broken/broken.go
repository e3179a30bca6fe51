// Package broken does not compile: a type error, though it parses.
package broken

// Count returns a string where an int is due.
func Count() int {
	return "three"
}
