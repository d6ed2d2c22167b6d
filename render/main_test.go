package render

import (
	"os"
	"testing"
)

// TestMain renders charts in workers, as the CLI does, so that these
// tests and FuzzHelm exercise the worker protocol and its bounds.
func TestMain(m *testing.M) {
	UseWorkers()
	os.Exit(m.Run())
}
