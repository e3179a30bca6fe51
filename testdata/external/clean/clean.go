// Package clean is fine, and imports the broken package.
package clean

import "example.com/external/broken"

// Twice doubles the count.
func Twice() int {
	return 2 * broken.Count()
}
