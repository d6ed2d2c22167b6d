package topology_test

import (
	"testing"

	"github.com/hoplint/hoplint/internal/linttest"
)

// TestECSCases runs the ECS cases: Terraform task definitions and services
// in front of which target groups stand, and task-definition files.
func TestECSCases(t *testing.T) { linttest.RunDir(t, "../testdata/ecs") }
