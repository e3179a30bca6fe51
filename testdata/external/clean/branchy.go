package clean

// Kind names a number: four paths through it, over goaudit.toml's threshold of 3.
func Kind(n int) string {
	switch {
	case n < 0:
		return "negative"
	case n == 0:
		return "zero"
	case n%2 == 0:
		return "even"
	}
	return "odd"
}
