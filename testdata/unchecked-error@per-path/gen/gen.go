// Package gen stands for generated code.
package gen

import "os"

func Chmod(path string) {
	os.Chmod(path, 0o600)
}
