package topology_test

import (
	"testing"

	"github.com/hoplint/hoplint/internal/linttest"
)

func TestApacheCases(t *testing.T) {
	linttest.RunDir(t, "../testdata/apache")
}
