package registry // want "file has 3[0-9] lines \\(limit 30\\)"

// Registry maps names to handlers.
type Registry struct {
	handlers map[string]func() error
}

// Handler0 is one registered handler.
func Handler0() error {
	return nil
}

// Handler1 is one registered handler.
func Handler1() error {
	return nil
}

// Handler2 is one registered handler.
func Handler2() error {
	return nil
}

// Handler3 is one registered handler.
func Handler3() error {
	return nil
}

// Handler4 is one registered handler.
func Handler4() error {
	return nil
}

// Handler5 is one registered handler.
func Handler5() error {
	return nil
}
