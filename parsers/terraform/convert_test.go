package terraform

import (
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/hoplint/hoplint/parsers"
)

// TestConvertVarShortcut checks that convertVar gives what the general
// conversion (marks taken off with their paths, put back on the converted
// value) gives, for values whose only marks are their own, which it
// converts without the paths.
func TestConvertVarShortcut(t *testing.T) {
	ref := Ref{Type: "aws_lb", Name: "x"}
	at := originAt(parsers.Range{File: "main.tf", Start: parsers.Pos{Line: 3, Col: 1}, End: parsers.Pos{Line: 3, Col: 9}}, "passes")
	obj := cty.ObjectVal(map[string]cty.Value{"port": cty.NumberIntVal(80), "name": cty.StringVal("a")})
	cases := []struct {
		v  cty.Value
		ty cty.Type
	}{
		{cty.StringVal("8080").Mark(at), cty.Number},
		{cty.NumberIntVal(3).Mark(at).Mark(ref), cty.String},
		{cty.StringVal("x"), cty.DynamicPseudoType},
		{cty.StringVal("nope").Mark(at), cty.Number},
		{cty.DynamicVal.Mark(ref), cty.List(cty.String)},
		{cty.NullVal(cty.DynamicPseudoType).Mark(at), cty.Map(cty.String)},
		{obj.Mark(at), cty.Map(cty.String)},
		{obj, cty.Object(map[string]cty.Type{"port": cty.String, "name": cty.String})},
		{cty.TupleVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b")}).Mark(at), cty.Set(cty.String)},
		{cty.ListValEmpty(cty.String).Mark(ref), cty.List(cty.Number)},
	}
	for _, c := range cases {
		decl := &variableDecl{name: "v", ty: c.ty}
		un, pvm := c.v.UnmarkDeepWithPaths()
		want := safeMarkWithPaths(convertUnmarked(un, decl), pvm)
		if got := convertVar(c.v, decl); !got.RawEquals(want) {
			t.Errorf("convertVar(%#v, %#v) = %#v, want %#v", c.v, c.ty, got, want)
		}
	}
	// A mark inside the value still follows its element through the
	// conversion.
	inner := cty.ObjectVal(map[string]cty.Value{"arn": cty.StringVal("a").Mark(ref)})
	got := convertVar(inner, &variableDecl{name: "v", ty: cty.Map(cty.String)})
	if _, marks := got.Index(cty.StringVal("arn")).Unmark(); !hasMark(marks, ref) {
		t.Errorf("convertVar lost the mark of an element: %#v", got)
	}
}

func hasMark(marks cty.ValueMarks, m any) bool {
	_, ok := marks[m]
	return ok
}
