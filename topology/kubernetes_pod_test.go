package topology_test

import (
	"testing"

	"github.com/hoplint/hoplint/internal/linttest"
)

// TestPodCases: the nginx or httpd a ConfigMap configures inside a pod is
// a hop on the path (includes resolved against the mounted entries, the
// version from the image tag), and loopback reaches sibling containers.
func TestPodCases(t *testing.T) { linttest.RunDir(t, "../testdata/pod") }
