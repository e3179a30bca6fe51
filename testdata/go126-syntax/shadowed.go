package go126

import (
	"bufio"
	"os"
)

// A local variable or function named make or new is an ordinary identifier.
func shadowedMake(path string) error {
	make := func(n int, extra ...int) []int { return append([]int{n}, extra...) }
	xs := make(1, 2, 3)
	_ = xs
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	w.WriteString("made") // want `error returned by \(\*bufio\.Writer\)\.WriteString is not checked`
	return f.Close()
}

func shadowedNew(path string) error {
	new := 0
	new++
	if new > 1 {
		return nil
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // want `error returned by deferred \(\*os\.File\)\.Close is not checked`
	_, err = f.WriteString("new")
	return err
}

func build[T any](v T) *T { return &v }

func genericNew(path string) error {
	new := build[int]
	p := new(7)
	_ = p
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	w.Flush() // want `error returned by \(\*bufio\.Writer\)\.Flush is not checked`
	return f.Close()
}

// Fixed twins: the same code with every error handled is silent.
func shadowedMakeFixed(path string) error {
	make := func(n int) []int { return []int{n} }
	_ = make(1)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := f.WriteString("made"); err != nil {
		_ = f.Close() // the write error is the one to report
		return err
	}
	return f.Close()
}

func newExprFixed(path string) (*int, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if _, err := f.WriteString("x"); err != nil {
		_ = f.Close() // the write error is the one to report
		return nil, err
	}
	return new(len(path)), f.Close()
}
