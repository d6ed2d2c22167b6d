package topology_test

import (
	"testing"

	"github.com/hoplint/hoplint/internal/linttest"
)

func TestNginxCases(t *testing.T) { linttest.RunDir(t, "../testdata/nginx") }
