package topology_test

import (
	"testing"

	"github.com/hoplint/hoplint/internal/linttest"
)

func TestCrossFileCases(t *testing.T) { linttest.RunDir(t, "../testdata/crossfile") }
