package compose_test

import (
	"testing"

	"github.com/hoplint/hoplint/internal/linttest"
	_ "github.com/hoplint/hoplint/topology/sources"
)

// TestCases runs the compose and Dockerfile cases: services as container
// hops, linked by service name, alias and published port, with the
// configurations bind-mounted or copied into them.
func TestCases(t *testing.T) { linttest.RunDir(t, "../../testdata/compose") }
