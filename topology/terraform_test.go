package topology_test

import (
	"testing"

	"github.com/hoplint/hoplint/internal/linttest"
)

func TestTerraformCases(t *testing.T) {
	linttest.RunDir(t, "../testdata/terraform")
}
