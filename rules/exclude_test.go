package rules

import (
	"path/filepath"
	"testing"

	"github.com/hoplint/hoplint/config"
	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/topology"
)

// TestExcludedOutsideGraph: a finding on a file the graph does not list
// (a source read through a renderer) is matched by its path made absolute
// from the directory the graph's paths are relative to.
func TestExcludedOutsideGraph(t *testing.T) {
	root := filepath.FromSlash("/r")
	g := &topology.Graph{Files: []*parsers.File{{Path: "a/x.conf", Abs: filepath.Join(root, "a", "x.conf")}}}
	if wd := workDir(g); wd != root {
		t.Fatalf("workDir %q, want %q", wd, root)
	}
	cfg, err := config.Parse([]byte("rules:\n  lingering-close-off:\n    exclude: [b/**]\n"))
	if err != nil {
		t.Fatal(err)
	}
	cfg.File = filepath.Join(root, ".hoplint.yml")
	fs := []Finding{
		{Rule: "lingering-close-off", Range: parsers.Range{File: "b/y.conf"}},
		{Rule: "lingering-close-off", Range: parsers.Range{File: "a/x.conf"}},
		{Rule: "keepalive-order", Range: parsers.Range{File: "b/y.conf"}},
	}
	got := excluded(g, cfg, fs)
	if len(got) != 2 || got[0].Range.File != "a/x.conf" || got[1].Rule != "keepalive-order" {
		t.Errorf("kept %+v", got)
	}
}
