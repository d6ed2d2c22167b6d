package terraform

import (
	"fmt"
	"strings"
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

// TestValueKeyMatchesGoString checks that writeValueKey gives two values
// the same key exactly when their GoString is the same, over values that
// differ only in kind of collection, element type, key order or quoting.
func TestValueKeyMatchesGoString(t *testing.T) {
	s := cty.StringVal
	vals := []cty.Value{
		s("a"), s(`a"b`), s("1:a"), s("1"), cty.NumberIntVal(1), cty.NumberFloatVal(1), cty.NumberFloatVal(1.5),
		cty.NumberIntVal(80), cty.NumberIntVal(-80), cty.NumberIntVal(0), cty.NumberFloatVal(80), cty.MustParseNumberVal("80.0"),
		cty.MustParseNumberVal("1e30"), cty.MustParseNumberVal("1000000000000000000000000000001"), cty.NumberIntVal(1 << 62),
		cty.True, cty.NullVal(cty.String), cty.NullVal(cty.Number), cty.UnknownVal(cty.String), cty.DynamicVal,
		cty.UnknownVal(cty.String).RefineNotNull(),
		cty.ListVal([]cty.Value{s("a"), s("b")}), cty.TupleVal([]cty.Value{s("a"), s("b")}),
		cty.SetVal([]cty.Value{s("b"), s("a")}), cty.SetVal([]cty.Value{s("a"), s("b")}),
		cty.ListVal([]cty.Value{s("ab")}), cty.ListValEmpty(cty.String), cty.ListValEmpty(cty.Number),
		cty.SetValEmpty(cty.String), cty.EmptyTupleVal, cty.EmptyObjectVal, cty.MapValEmpty(cty.String),
		cty.MapVal(map[string]cty.Value{"a": s("x"), "b": s("y")}),
		cty.ObjectVal(map[string]cty.Value{"a": s("x"), "b": s("y")}),
		cty.ObjectVal(map[string]cty.Value{"b": s("y"), "a": s("x")}),
		cty.ObjectVal(map[string]cty.Value{"a": s("xb"), "": s("y")}),
		cty.ObjectVal(map[string]cty.Value{"a": cty.ListVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"p": cty.NumberIntVal(80)})})}),
		cty.ObjectVal(map[string]cty.Value{"a": cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"p": cty.NumberIntVal(80)})})}),
		cty.ObjectVal(map[string]cty.Value{"a": cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"p": cty.NumberIntVal(81)})})}),
	}
	obj := map[string]cty.Type{"a": cty.String, "b": cty.List(cty.Number), "ab": cty.Map(cty.Bool)}
	for _, ty := range []cty.Type{
		cty.String, cty.Number, cty.Bool, cty.DynamicPseudoType, cty.List(cty.String), cty.Set(cty.String),
		cty.Map(cty.String), cty.List(cty.List(cty.String)), cty.Tuple([]cty.Type{cty.String}), cty.EmptyTuple,
		cty.Tuple([]cty.Type{cty.String, cty.String}), cty.Tuple([]cty.Type{cty.List(cty.String)}),
		cty.EmptyObject, cty.Object(obj), cty.Object(map[string]cty.Type{"a": cty.String}),
		cty.Object(map[string]cty.Type{"a": cty.String, "b": cty.List(cty.Number)}),
		cty.ObjectWithOptionalAttrs(obj, []string{"a"}), cty.ObjectWithOptionalAttrs(obj, []string{"b"}),
		cty.ObjectWithOptionalAttrs(obj, []string{"a", "b"}), cty.List(cty.ObjectWithOptionalAttrs(obj, []string{"ab"})),
		cty.Map(cty.Object(map[string]cty.Type{"x": cty.ObjectWithOptionalAttrs(obj, []string{"a"})})),
	} {
		vals = append(vals, cty.NullVal(ty), cty.UnknownVal(ty))
	}
	vals = append(vals, cty.ListVal([]cty.Value{cty.NullVal(cty.Object(obj))}), cty.TupleVal([]cty.Value{cty.NullVal(cty.Object(obj))}))
	key := func(v cty.Value) string {
		var b strings.Builder
		writeValueKey(&b, v)
		return b.String()
	}
	for i, a := range vals {
		for j, b := range vals {
			if sameGo, sameKey := a.GoString() == b.GoString(), key(a) == key(b); sameGo != sameKey {
				t.Errorf("%d %#v and %d %#v: same GoString %v, same key %v", i, a, j, b, sameGo, sameKey)
			}
		}
	}
}

// TestUnmarkDeepWithPathsShortcut checks unmarkDeepWithPaths against
// cty's, whose paths inputsKey prints.
func TestUnmarkDeepWithPathsShortcut(t *testing.T) {
	ref := Ref{Type: "aws_lb", Name: "x"}
	obj := cty.ObjectVal(map[string]cty.Value{"a": cty.StringVal("x")})
	for _, v := range []cty.Value{
		cty.StringVal("a"), cty.StringVal("a").Mark(ref), obj, obj.Mark(ref), cty.DynamicVal.Mark(ref),
		cty.ObjectVal(map[string]cty.Value{"a": cty.StringVal("x").Mark(ref)}).Mark("top"),
	} {
		gotV, gotP := unmarkDeepWithPaths(v)
		wantV, wantP := v.UnmarkDeepWithPaths()
		if !gotV.RawEquals(wantV) || fmt.Sprintf("%#v", gotP) != fmt.Sprintf("%#v", wantP) {
			t.Errorf("unmarkDeepWithPaths(%#v) = %#v, %#v; want %#v, %#v", v, gotV, gotP, wantV, wantP)
		}
	}
}
