package openapi_test

import (
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/hoplint/hoplint/internal/linttest"
	"github.com/hoplint/hoplint/topology"
)

func TestOpenAPICases(t *testing.T) { linttest.RunDir(t, "../../testdata/openapi") }

// TestOpenAPIUnmatchedSpecIsLinted: a spec whose routes no hop serves is
// still read and counted (its hops are in the graph), it just links to
// nothing.
func TestOpenAPIUnmatchedSpecIsLinted(t *testing.T) {
	ar, err := txtar.ParseFile("../../testdata/openapi/no_matching_hop.txtar")
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

// TestOpenAPIGraph: `hoplint graph` lists each route with where it is
// served, its body and declared size, and its link to the hop serving it.
func TestOpenAPIGraph(t *testing.T) {
	ar, err := txtar.ParseFile("../../testdata/openapi/upload_above_limit.txtar")
	if err != nil {
		t.Fatal(err)
	}
	_, g, _ := linttest.Lint(t, ar)
	var b strings.Builder
	if err := topology.RenderText(&b, g); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"route POST /upload  [openapi-route]",
		"serves               api.example.com/upload (servers: https://api.example.com)",
		"takes a body         multipart/form-data, declared up to 20m: maxLength 20971520 (format: binary) of property file",
		"nginx location /upload of server api.example.com (port 80) → route POST /upload\n    address: the spec serves POST /upload",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("graph lacks %q:\n%s", want, b.String())
		}
	}
}
