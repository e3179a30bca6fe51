// Go 1.26's new(expr): new takes an expression and returns a pointer to a copy of its value,
// where code used ptr.To helpers before. Each function uses the form as real code does, then
// breaks a rule later on, which goaudit must still report: the file is parsed whole.
package go126

import (
	"bufio"
	"os"
	"strings"
	"time"
)

type Options struct {
	Retries *int
	Timeout *time.Duration
	Name    *string
}

type Config struct{ Path string }

// assignment
func writeDefaults(path string) error {
	retries := new(3)
	_ = retries
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	w.WriteString("retries=3\n") // want `error returned by \(\*bufio\.Writer\)\.WriteString is not checked`
	return f.Close()
}

// composite literal field
func options(name string) Options {
	return Options{
		Retries: new(5),
		Timeout: new(30 * time.Second),
		Name:    new(strings.TrimSpace(name)),
	}
}

func saveOptions(path string, name string) error {
	o := Options{Retries: new(int(len(name))), Name: new(name + ".conf")}
	_ = o
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // want `error returned by deferred \(\*os\.File\)\.Close is not checked`
	_, err = f.WriteString(name)
	return err
}

func use(p *int, s *string) {}

// argument
func passArguments(path string) error {
	use(new(42), new("forty-two"))
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	w.Flush() // want `error returned by \(\*bufio\.Writer\)\.Flush is not checked`
	return f.Close()
}

// return
func defaultTimeout() *time.Duration {
	return new(time.Duration(10) * time.Second)
}

func returnAfterWrite(path string) (*string, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // want `error returned by deferred \(\*os\.File\)\.Close is not checked`
	if _, err := f.WriteString("x"); err != nil {
		return nil, err
	}
	return new("written"), nil
}

// map value
func limits(path string) (map[string]*int, error) {
	m := map[string]*int{"max": new(100), "min": new(-1)}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // want `error returned by deferred \(\*os\.File\)\.Close is not checked`
	_, err = f.WriteString("limits")
	return m, err
}

// new(T) with every form of type still reads as a type.
func types() (*Config, *[]int, **Config, *time.Time) {
	return new(Config), new([]int), new(*Config), new(time.Time)
}
