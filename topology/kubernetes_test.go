package topology_test

import (
	"testing"

	"github.com/hoplint/hoplint/internal/linttest"
)

func TestKubernetesCases(t *testing.T) {
	linttest.RunDir(t, "../testdata/kubernetes")
}
