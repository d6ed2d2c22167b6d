package topology_test

import (
	"testing"

	"github.com/hoplint/hoplint/internal/linttest"
)

// TestClassifyCases: files that merely share nginx's or Apache's file names
// are not read as them.
func TestClassifyCases(t *testing.T) { linttest.RunDir(t, "../testdata/classify") }
