package topology_test

// The tests of this package build graphs with topology.Load and Build;
// the sources that live in their own package register only when
// imported (see topology/sources).
import _ "github.com/hoplint/hoplint/topology/sources"
