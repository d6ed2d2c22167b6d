package topology

import (
	"testing"

	"github.com/hoplint/hoplint/parsers"
)

// TestAddCommentsKeepsDirectives: the graph keeps the comments the rules
// read (hoplint:ignore and hoplint:ignore-file, well formed or not, so that
// a malformed one is still reported) and no other.
func TestAddCommentsKeepsDirectives(t *testing.T) {
	var g Graph
	g.AddComments("a.yaml", []parsers.Comment{
		{Line: 1, Col: 1, Text: " replicas for staging"},
		{Line: 2, Col: 3, Text: " hoplint:ignore keepalive-order -- the LB is ours"},
		{Line: 3, Col: 1, Text: "hoplint:ignore"},
		{Line: 4, Col: 1, Text: " see https://example.com/#hoplint"},
	})
	g.AddComments("b.yaml", []parsers.Comment{{Line: 1, Col: 1, Text: " nothing here"}})
	g.AddComments("c.conf", []parsers.Comment{{Line: 9, Col: 5, Text: " hoplint:ignore-file body-size-order -- uploads off"}})
	if got := g.Comments["a.yaml"]; len(got) != 2 || got[0].Line != 2 || got[1].Line != 3 {
		t.Errorf("a.yaml comments %+v, want lines 2 and 3", got)
	}
	if _, ok := g.Comments["b.yaml"]; ok {
		t.Errorf("b.yaml has comments %+v, want none recorded", g.Comments["b.yaml"])
	}
	if got := g.Comments["c.conf"]; len(got) != 1 || got[0].Col != 5 {
		t.Errorf("c.conf comments %+v", got)
	}
}
