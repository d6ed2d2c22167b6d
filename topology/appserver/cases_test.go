package appserver_test

import (
	"testing"

	"github.com/hoplint/hoplint/internal/linttest"
)

// TestCases runs the stacks under testdata/appserver: a load balancer in
// front of an application whose server settings live in its code.
func TestCases(t *testing.T) { linttest.RunDir(t, "../../testdata/appserver") }
