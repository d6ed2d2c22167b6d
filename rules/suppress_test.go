package rules_test

import (
	"testing"

	"github.com/hoplint/hoplint/internal/linttest"
)

// TestSuppressionCases runs testdata/suppress: suppressions on any location
// of a cross-file finding, and the unused check beside them.
func TestSuppressionCases(t *testing.T) { linttest.RunDir(t, "../testdata/suppress") }
