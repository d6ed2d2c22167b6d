package topology_test

import (
	"testing"

	"github.com/hoplint/hoplint/internal/linttest"
)

func TestGatewayCases(t *testing.T) { linttest.RunDir(t, "../testdata/gateway") }
