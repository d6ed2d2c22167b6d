package terraform

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/hoplint/hoplint/parsers"
)

// written marks a value with the literal a caller wrote it as, in a module
// input: command = ["uvicorn", …] inside container_definitions of a local
// module. The value then travels through the module's variables, locals,
// nested modules and outputs (terraform-aws-modules/ecs builds each
// container in a container-definition module and jsonencodes its output),
// and whatever reads it at the end (a container's command) points at the
// line the user wrote and would change, not at the shared module's
// jsonencode that every caller goes through.
type written struct {
	File           string
	SL, SC, EL, EC int
}

func writtenAt(r parsers.Range) written {
	return written{File: r.File, SL: r.Start.Line, SC: r.Start.Col, EL: r.End.Line, EC: r.End.Col}
}

func (w written) rng() parsers.Range {
	return parsers.Range{File: w.File, Start: parsers.Pos{Line: w.SL, Col: w.SC}, End: parsers.Pos{Line: w.EL, Col: w.EC}}
}

// writtenRange returns the literal a value was written as, when exactly
// one is recorded on it (not on its elements). Two (a value merged from
// two literals) name no single place.
func writtenRange(marks cty.ValueMarks) (parsers.Range, bool) {
	var found written
	n := 0
	for mk := range marks {
		if w, ok := mk.(written); ok {
			found = w
			n++
		}
	}
	return found.rng(), n == 1
}

// maxWrittenMarks bounds the literals marked in one module input: a large
// literal map passed to a module keeps its other marks, and the rest of
// its leaves keep the ranges hoplint gave them before.
const maxWrittenMarks = 4096

// markWritten marks each literal leaf of v that expr writes out as an
// object or tuple constructor (see written).
func (m *modInst) markWritten(v cty.Value, expr hcl.Expression) cty.Value {
	var pvm []cty.PathValueMarks
	var walk func(v cty.Value, e hcl.Expression, p cty.Path)
	walk = func(v cty.Value, e hcl.Expression, p cty.Path) {
		if len(pvm) >= maxWrittenMarks {
			return
		}
		v, _ = v.Unmark()
		if !v.IsKnown() || v.IsNull() {
			return
		}
		ty := v.Type()
		switch ex := unwrap(e).(type) {
		case *hclsyntax.ObjectConsExpr:
			if !ty.IsObjectType() && !ty.IsMapType() {
				return
			}
			for _, it := range ex.Items {
				k := itemKey(it.KeyExpr)
				if k == "" {
					continue
				}
				var step cty.PathStep = cty.GetAttrStep{Name: k}
				if ty.IsMapType() {
					step = cty.IndexStep{Key: cty.StringVal(k)}
				}
				ev, err := step.Apply(v)
				if err != nil {
					continue
				}
				walk(ev, it.ValueExpr, append(p.Copy(), step))
			}
		case *hclsyntax.TupleConsExpr:
			if !ty.IsTupleType() && !ty.IsListType() || v.LengthInt() != len(ex.Exprs) {
				return
			}
			for i, el := range ex.Exprs {
				step := cty.IndexStep{Key: cty.NumberIntVal(int64(i))}
				ev, err := step.Apply(v)
				if err != nil {
					continue
				}
				walk(ev, el, append(p.Copy(), step))
			}
		default:
			if literal(ex) {
				pvm = append(pvm, cty.PathValueMarks{Path: p, Marks: cty.NewValueMarks(writtenAt(m.rng(ex.Range())))})
			}
		}
	}
	walk(v, expr, nil)
	if len(pvm) == 0 {
		return v
	}
	return safeMarkWithPaths(v, pvm)
}

// literal reports an expression that is a constant as written: a number,
// a bool, or a string without interpolation.
func literal(e hcl.Expression) bool {
	switch ex := e.(type) {
	case *hclsyntax.LiteralValueExpr:
		return true
	case *hclsyntax.TemplateExpr:
		for _, p := range ex.Parts {
			if _, ok := p.(*hclsyntax.LiteralValueExpr); !ok {
				return false
			}
		}
		return true
	}
	return false
}
