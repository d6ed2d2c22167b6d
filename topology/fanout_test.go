package topology_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hoplint/hoplint/config"
	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/topology"
)

// sharedSelector writes services Services and deployments Deployments in
// one file, every Service selecting app=web and every pod carrying it.
func sharedSelector(t *testing.T, services, deployments int) *topology.Graph {
	t.Helper()
	var b strings.Builder
	for i := 0; i < services; i++ {
		fmt.Fprintf(&b, "---\napiVersion: v1\nkind: Service\nmetadata: {name: s%d}\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: 8000}]\n", i)
	}
	for i := 0; i < deployments; i++ {
		fmt.Fprintf(&b, "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d%d}\nspec:\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: c, image: x, ports: [{containerPort: 8000}]}]\n", i)
	}
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "all.yaml"), b.String())
	g, err := topology.Load([]string{"."}, &config.Config{}, dir)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// TestSelectorFanOut: a selector that matches more workloads than a link
// may fan out to draws no edge and one ambiguous-link problem per Service
// (issue 13: 5,000 Services × 5,000 Deployments drew 25 million edges);
// at the bound every workload is linked.
func TestSelectorFanOut(t *testing.T) {
	for _, tc := range []struct {
		deployments, edges, ambiguous int
	}{
		{deployments: 64, edges: 3 * 64},
		{deployments: 65, ambiguous: 3},
		{deployments: 400, ambiguous: 3},
	} {
		g := sharedSelector(t, 3, tc.deployments)
		amb := 0
		for _, p := range g.Problems {
			if p.Kind == parsers.ProblemAmbiguous {
				amb++
				if !strings.Contains(p.Message, fmt.Sprintf("matches the pods of %d workloads", tc.deployments)) {
					t.Errorf("message does not count the workloads: %s", p.Message)
				}
			}
		}
		if len(g.Edges) != tc.edges || amb != tc.ambiguous {
			t.Errorf("%d Deployments: %d edges and %d ambiguous-link problems, want %d and %d", tc.deployments, len(g.Edges), amb, tc.edges, tc.ambiguous)
		}
	}
}

// TestManyLocations: a server with many locations gets one containment
// edge per location and one edge from each location to the upstream, each
// drawn once (Graph.Link finds duplicates by key, not by scanning).
func TestManyLocations(t *testing.T) {
	const n = 5000
	var b strings.Builder
	b.WriteString("events {}\nhttp {\n  upstream u { server 127.0.0.1:8000; keepalive 4; }\n  server {\n    listen 80;\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "    location /p%d { proxy_pass http://u; }\n", i)
	}
	b.WriteString("  }\n}\n")
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "nginx.conf"), b.String())
	g, err := topology.Load([]string{"."}, &config.Config{}, dir)
	if err != nil {
		t.Fatal(err)
	}
	within, toUpstream := 0, 0
	for _, e := range g.Edges {
		switch {
		case e.Within && e.From.Kind == topology.KindNginxServer && e.To.Kind == topology.KindNginxLocation:
			within++
		case e.From.Kind == topology.KindNginxLocation && e.To.Kind == topology.KindNginxUpstream:
			toUpstream++
		}
	}
	if within != n || toUpstream != n {
		t.Errorf("%d containment and %d upstream edges, want %d of each", within, toUpstream, n)
	}
	// Linking an edge again keeps one.
	e := g.Edges[0]
	before, out := len(g.Edges), len(g.Out(e.From))
	g.Link(&topology.Edge{From: e.From, To: e.To, Why: "again", Confidence: e.Confidence})
	if len(g.Edges) != before || len(g.Out(e.From)) != out || e.Why == "again" {
		t.Errorf("linking an existing edge again added or replaced one")
	}
}
