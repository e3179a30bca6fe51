//nolint:file-length // the entry point grows with its flags; reviewed.
package main

import (
	"fmt"

	"example.com/report/internal/store"
)

func main() {
	s := store.New()
	v, err := s.Get("greeting")
	if err != nil {
		fmt.Println("no greeting")
		return
	}
	fmt.Println(v)
	fmt.Println("done")
	fmt.Println("bye")
	fmt.Println("really")
}
