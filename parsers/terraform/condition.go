package terraform

import (
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// A condition's marks are not its result's. HCL gives the result of
// `c ? a : b`, and each element a for expression keeps, the marks of the
// condition too, as Terraform wants for sensitive values. hoplint's Ref
// marks say instead which resource a value is, and a condition that tests
// a whole object spreads the references of everything inside it:
//
//	for_each = var.load_balancer != null ? var.load_balancer : {}
//
// (terraform-aws-modules/ecs's service) would make the target_group_arn
// of each load_balancer block refer to every target group named anywhere
// in the object, its alternate included, and the service would link to
// none. So the parser wraps every condition in a call that drops Ref
// marks; the others (where a value came from, for messages) stay.
const conditionName = "\x00condition"

var conditionFunc = function.New(&function.Spec{
	Params: []function.Parameter{{
		Name: "c", Type: cty.DynamicPseudoType,
		AllowUnknown: true, AllowDynamicType: true, AllowNull: true, AllowMarked: true,
	}},
	Type: function.StaticReturnType(cty.DynamicPseudoType),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		un, pvm := args[0].UnmarkDeepWithPaths()
		kept := pvm[:0]
		for _, pm := range pvm {
			marks := cty.ValueMarks{}
			for m := range pm.Marks {
				switch m.(type) {
				case Ref, written:
				default:
					marks[m] = struct{}{}
				}
			}
			if len(marks) > 0 {
				kept = append(kept, cty.PathValueMarks{Path: pm.Path, Marks: marks})
			}
		}
		return un.MarkWithPaths(kept), nil
	},
})

// unrefConditions wraps the conditions of conditional and for expressions
// in conditionFunc (see above).
func unrefConditions(n hclsyntax.Node) {
	switch e := n.(type) {
	case *hclsyntax.ConditionalExpr:
		e.Condition = unref(e.Condition)
	case *hclsyntax.ForExpr:
		if e.CondExpr != nil {
			e.CondExpr = unref(e.CondExpr)
		}
	}
}

func unref(e hclsyntax.Expression) hclsyntax.Expression {
	r := e.Range()
	return &hclsyntax.FunctionCallExpr{Name: conditionName, Args: []hclsyntax.Expression{e}, NameRange: r, OpenParenRange: r, CloseParenRange: r}
}
