package rules

import (
	"testing"

	"github.com/hoplint/hoplint/parsers"
)

func TestFoldInstances(t *testing.T) {
	r := parsers.Range{File: "main.tf", Start: parsers.Pos{Line: 4, Col: 3}}
	other := parsers.Range{File: "main.tf", Start: parsers.Pos{Line: 9, Col: 3}}
	fs := []Finding{
		{Rule: "x", Range: r, Message: `idle_timeout on aws_lb.x[0] is ignored.`},
		{Rule: "x", Range: r, Message: `idle_timeout on aws_lb.x[1] is ignored.`},
		{Rule: "x", Range: r, Message: `idle_timeout on aws_lb.x["b"] is ignored.`},
		{Rule: "x", Range: other, Message: `idle_timeout on aws_lb.y[0] is ignored.`},
		{Rule: "y", Range: r, Message: `something else`},
	}
	got := foldInstances(fs)
	if len(got) != 3 {
		t.Fatalf("got %d findings: %v", len(got), got)
	}
	if want := `idle_timeout on aws_lb.x[0] is ignored (the same holds for 2 more instances of it).`; got[0].Message != want {
		t.Errorf("got %q, want %q", got[0].Message, want)
	}
	if got[1].Message != `idle_timeout on aws_lb.y[0] is ignored.` || got[2].Message != "something else" {
		t.Errorf("unrelated findings changed: %v", got[1:])
	}
}
