package fixture

import (
	"os"
	"testing"
)

func TestChmod(t *testing.T) {
	os.Chmod("x", 0o600)
}
