package terraform

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// A filtering object for expression, as modules write it to strip unset
// attributes,
//
//	container_definition = { for k, v in local.definition : k => v if v != null }
//
// is wholly unknown to go-cty as soon as one element's condition is: one
// attribute computed from a resource (a log group's name) hides the image,
// the command and the ports of the container built from the rest. Terraform
// itself knows such an object only at apply time. hoplint keeps what it can
// tell: an element whose condition is false is dropped, one whose condition
// is true is kept, and one whose condition is unknown is kept with an
// unknown value, so that nothing reads a value Terraform might have dropped
// (an unknown value gives no finding, as an absent one might).
//
// Only the object form is read this way: in a list, an element that might
// be missing shifts the ones after it, so a tuple form with an unknown
// condition stays wholly unknown, as do grouping (...) and anything that
// fails to evaluate.
func (m *modInst) partialFor(fe *hclsyntax.ForExpr, ctx *hcl.EvalContext) (cty.Value, bool) {
	if fe.KeyExpr == nil || fe.Group || fe.CondExpr == nil {
		return cty.NilVal, false
	}
	coll, diags := fe.CollExpr.Value(ctx)
	if diags.HasErrors() {
		return cty.NilVal, false
	}
	coll, collMarks := coll.Unmark()
	if coll.IsNull() || !coll.IsKnown() || !coll.CanIterateElements() {
		return cty.NilVal, false
	}
	out := map[string]cty.Value{}
	for it := coll.ElementIterator(); it.Next(); {
		k, v := it.Element()
		child := ctx.NewChild()
		child.Variables = map[string]cty.Value{fe.ValVar: v}
		if fe.KeyVar != "" {
			child.Variables[fe.KeyVar] = k
		}
		cond, diags := fe.CondExpr.Value(child)
		if diags.HasErrors() {
			return cty.NilVal, false
		}
		cond, _ = cond.Unmark()
		known := cond.IsKnown()
		if known && (cond.IsNull() || cond.Type() != cty.Bool) {
			return cty.NilVal, false
		}
		if known && cond.False() {
			continue
		}
		key, diags := fe.KeyExpr.Value(child)
		if diags.HasErrors() {
			return cty.NilVal, false
		}
		key, _ = key.Unmark()
		if !key.IsKnown() || key.IsNull() || key.Type() != cty.String {
			return cty.NilVal, false
		}
		name := key.AsString()
		if _, dup := out[name]; dup {
			return cty.NilVal, false // Terraform refuses duplicate keys
		}
		val, diags := fe.ValExpr.Value(child)
		if diags.HasErrors() {
			return cty.NilVal, false
		}
		if !known {
			_, marks := val.Unmark()
			val = cty.DynamicVal.WithMarks(marks)
		}
		out[name] = val
	}
	return cty.ObjectVal(out).WithMarks(collMarks), true
}

// partialObject evaluates an object constructor that failed as a whole,
// item by item: an item whose value fails is unknown, the others keep
// their values. A reference to an output hoplint's model of a registry
// module does not have (module.alb.listener_rules, written beside the
// target group's arn in one load_balancer object) would otherwise hide
// the whole object, and the ECS service would lose its target group.
// Terraform would have evaluated the item; hoplint only cannot, so unknown
// is the honest value. Keys must evaluate, as Terraform requires.
func partialObject(oc *hclsyntax.ObjectConsExpr, ctx *hcl.EvalContext, depth int) (cty.Value, bool) {
	if depth > maxPartialDepth {
		return cty.NilVal, false
	}
	out := make(map[string]cty.Value, len(oc.Items))
	for _, it := range oc.Items {
		key, diags := it.KeyExpr.Value(ctx)
		if diags.HasErrors() {
			return cty.NilVal, false
		}
		key, _ = key.Unmark()
		if !key.IsKnown() || key.IsNull() || key.Type() != cty.String {
			return cty.NilVal, false
		}
		val, diags := it.ValueExpr.Value(ctx)
		if diags.HasErrors() {
			val = cty.DynamicVal
			if inner, ok := it.ValueExpr.(*hclsyntax.ObjectConsExpr); ok {
				if pv, ok := partialObject(inner, ctx, depth+1); ok {
					val = pv
				}
			}
		}
		out[key.AsString()] = val
	}
	return cty.ObjectVal(out), true
}

// maxPartialDepth bounds the nesting partialObject descends into: each
// level evaluates the items below it again.
const maxPartialDepth = 8
