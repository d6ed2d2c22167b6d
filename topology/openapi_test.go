package topology_test

import (
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/hoplint/hoplint/internal/linttest"
)

func TestOpenAPICases(t *testing.T) { linttest.RunDir(t, "../testdata/openapi") }

// TestOpenAPIUnmatchedSpecIsLinted: a spec whose routes no hop serves is
// still read and counted (its hops are in the graph), it just links to
// nothing.
func TestOpenAPIUnmatchedSpecIsLinted(t *testing.T) {
	ar, err := txtar.ParseFile("../testdata/openapi/no_matching_hop.txtar")
	if err != nil {
		t.Fatal(err)
	}
	_, g, _ := linttest.Lint(t, ar)
	spec := g.Hop("openapi.yaml#spec")
	route := g.Hop("openapi.yaml#POST /upload")
	if spec == nil || route == nil {
		t.Fatalf("spec or route hop missing from the graph")
	}
	for _, e := range g.In(route) {
		if e.From != spec {
			t.Errorf("route linked from %s: %s", e.From.ID, e.Why)
		}
	}
	files := 0
	for _, f := range g.Files {
		if f.Path == "openapi.yaml" {
			files++
		}
	}
	if files != 1 {
		t.Errorf("openapi.yaml not among the linted files")
	}
}
