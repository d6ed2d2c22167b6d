package terraform

import (
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Terraform's length counts an object's attributes and a tuple's elements;
// go-cty's stdlib refuses objects, which made modules that test
// length(local.some_object) evaluate to unknown.
func TestLengthAsTerraform(t *testing.T) {
	cases := map[string]cty.Value{
		`length({ a = 1, b = "x" })`:          cty.NumberIntVal(2),
		`length(merge({ a = 1 }, { b = 2 }))`: cty.NumberIntVal(2),
		`length([1, "two", true])`:            cty.NumberIntVal(3),
		`length("héllo")`:                     cty.NumberIntVal(5),
		`length(tolist(["a", "b"]))`:          cty.NumberIntVal(2),
		`length({})`:                          cty.NumberIntVal(0),
	}
	ctx := &hcl.EvalContext{Functions: budgetFunctions(&budget{work: maxWork})}
	for src, want := range cases {
		e, diags := hclsyntax.ParseExpression([]byte(src), "t.tf", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", src, diags)
		}
		got, diags := e.Value(ctx)
		if diags.HasErrors() {
			t.Errorf("%s: %s", src, diags)
			continue
		}
		if !got.RawEquals(want) {
			t.Errorf("%s = %#v, want %#v", src, got, want)
		}
	}
	e, _ := hclsyntax.ParseExpression([]byte(`length(true)`), "t.tf", hcl.InitialPos)
	if _, diags := e.Value(ctx); !diags.HasErrors() {
		t.Errorf("length(true) evaluated; Terraform refuses a bool")
	}
}
