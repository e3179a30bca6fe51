package agent

import (
	"context"
	"testing"
)

// Goroutines in tests end with the test binary.
func TestReport(t *testing.T) {
	var d Delegator
	go func() {
		_ = d.store.Save(context.Background(), "k")
	}()
}
