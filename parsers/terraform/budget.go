package terraform

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/hoplint/hoplint/parsers"
)

// Evaluation limits. Terraform expressions can grow exponentially (41
// locals that each double the previous string) or run for minutes (three
// nested for over range(1024)); every root module, with the modules it
// calls, gets a budget of work, and no value may exceed a size. When either
// runs out the value is unknown, as anything hoplint cannot compute is, and
// one finding says where.
const (
	// maxValueSize caps one value: bytes of its strings plus one per
	// element, object attribute and number. Real values are kilobytes.
	maxValueSize = 1 << 18
	// maxWork caps the work of one root module's evaluation, in the same
	// units: each function call costs its arguments' and result's sizes,
	// each iteration of a for expression and each template part
	// iterationCost plus the size of its string.
	maxWork       = 1 << 20
	iterationCost = 4
)

// chargeName is the function the parser wraps around template parts and
// the bodies of for expressions so that their work is counted. It cannot
// be written in a configuration.
const chargeName = "\x00charge"

// budget is the work left for the root module being evaluated.
type budget struct {
	work int
	// over is set once the work ran out; the first place it happened is
	// reported, once.
	over     bool
	reported bool
	// big is set when a function's result was too large and replaced by
	// an unknown value; the expression evaluating it reports that.
	big bool
	// memo holds the outputs of each module instance evaluated, by
	// inputsKey; evals counts them.
	memo       map[string]cty.Value
	evals      int
	evalsNoted bool
}

func (b *budget) charge(n int) bool {
	if b.over {
		return false
	}
	b.work -= n
	if b.work < 0 {
		b.over = true
		return false
	}
	return true
}

// sizeOf measures v in maxValueSize's units, stopping once past limit.
func sizeOf(v cty.Value, limit int) int {
	n := 0
	var walk func(v cty.Value)
	walk = func(v cty.Value) {
		if n > limit {
			return
		}
		v, _ = v.Unmark()
		n++
		if !v.IsKnown() || v.IsNull() {
			return
		}
		ty := v.Type()
		switch {
		case ty == cty.String:
			n += len(v.AsString())
		case ty.IsListType() || ty.IsSetType() || ty.IsTupleType() || ty.IsMapType() || ty.IsObjectType():
			for it := v.ElementIterator(); it.Next() && n <= limit; {
				_, e := it.Element()
				walk(e)
			}
		}
	}
	walk(v)
	return n
}

// budgeted wraps a function so that its calls are charged to b and its
// results are capped.
func budgeted(f function.Function, b *budget) function.Function {
	return function.New(&function.Spec{
		Description: f.Description(),
		Params:      f.Params(),
		VarParam:    f.VarParam(),
		Type:        f.ReturnTypeForValues,
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			// Once the budget is gone, results are unknown rather than
			// errors: HCL goes on iterating a for expression after an
			// error and keeps every diagnostic, which would cost more than
			// the evaluation being stopped.
			in := 1
			for _, a := range args {
				in += sizeOf(a, maxValueSize)
			}
			if !b.charge(in) {
				return cty.DynamicVal, nil
			}
			v, err := f.Call(args)
			if err != nil {
				return v, err
			}
			n := sizeOf(v, maxValueSize)
			if n > maxValueSize {
				b.big = true
				return cty.DynamicVal, nil
			}
			if !b.charge(n) {
				return cty.DynamicVal, nil
			}
			return v, nil
		},
	})
}

// budgetFunctions is the function table with every function charged to b,
// plus the charge function itself.
func budgetFunctions(b *budget) map[string]function.Function {
	out := make(map[string]function.Function, len(functions)+1)
	for name, f := range functions {
		out[name] = budgeted(f, b)
	}
	out[chargeName] = chargeFunc(func(n int) bool { return b.charge(n) })
	out[conditionName] = conditionFunc
	return out
}

// chargeFunc returns its argument unchanged (marks and all) after charging
// its size.
func chargeFunc(charge func(int) bool) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{
			Name: "v", Type: cty.DynamicPseudoType,
			AllowUnknown: true, AllowDynamicType: true, AllowNull: true, AllowMarked: true,
		}},
		Type: function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			n := iterationCost
			if un, _ := args[0].Unmark(); un.IsKnown() && !un.IsNull() {
				switch ty := un.Type(); {
				case ty == cty.String:
					n += len(un.AsString())
				case ty.IsCollectionType() || ty.IsTupleType() || ty.IsObjectType():
					n += un.LengthInt() // what a for expression will iterate
				}
			}
			if !charge(n) {
				return cty.DynamicVal, nil
			}
			return args[0], nil
		},
	})
}

// literalCtx evaluates literal values (tfvars, variable defaults): no
// variables and no functions, as Terraform allows there, but the charge
// calls the parser added still work.
var literalCtx = &hcl.EvalContext{Functions: map[string]function.Function{
	chargeName:    chargeFunc(func(int) bool { return true }),
	conditionName: conditionFunc,
}}

// instrument wraps, in a native syntax body, every non-literal template
// part and every part of a for expression in a call to the charge
// function, so that evaluation counts the work HCL does outside function
// calls. JSON bodies are parsed into expressions only when evaluated; their
// values are still capped by size.
func instrument(body hcl.Body) {
	sb, ok := body.(*hclsyntax.Body)
	if !ok {
		return
	}
	_ = hclsyntax.VisitAll(sb, func(n hclsyntax.Node) hcl.Diagnostics {
		unrefConditions(n)
		switch e := n.(type) {
		case *hclsyntax.TemplateExpr:
			for i, p := range e.Parts {
				if _, lit := p.(*hclsyntax.LiteralValueExpr); !lit {
					e.Parts[i] = charged(p)
				}
			}
		case *hclsyntax.ForExpr:
			e.CollExpr = charged(e.CollExpr)
			e.ValExpr = charged(e.ValExpr)
			if e.KeyExpr != nil {
				e.KeyExpr = charged(e.KeyExpr)
			}
			if e.CondExpr != nil {
				e.CondExpr = charged(e.CondExpr)
			}
		}
		return nil
	})
}

func charged(e hclsyntax.Expression) hclsyntax.Expression {
	r := e.Range()
	return &hclsyntax.FunctionCallExpr{Name: chargeName, Args: []hclsyntax.Expression{e}, NameRange: r, OpenParenRange: r, CloseParenRange: r}
}

// checkBudget turns what the budget saw while expr was evaluated into a
// finding: a value too large is reported where it was computed, and the
// work running out is reported once per root module, where it happened.
// It returns false when v must be taken as unknown.
func (m *modInst) checkBudget(expr hcl.Expression, v cty.Value) bool {
	b := m.l.budget
	switch {
	case b.over:
		if !b.reported {
			b.reported = true
			m.l.res.Problems = append(m.l.res.Problems, parsers.Problem{Kind: parsers.ProblemParse, Range: m.rng(expr.Range()),
				Message: "evaluating this module and the modules it calls needs more work than hoplint allows (nested for expressions over large collections, say); hoplint took this expression, and everything evaluated after it, as unknown"})
		}
		return false
	case b.big:
		b.big = false
	default:
		// Measuring a value costs its size: only large ones are charged,
		// so that the many small values of an ordinary module cost nothing.
		n := sizeOf(v, maxValueSize)
		if n <= maxValueSize && (n <= 4096 || b.charge(n)) {
			return true
		}
		if b.over {
			return m.checkBudget(expr, v)
		}
	}
	r := m.rng(expr.Range())
	m.l.noteOnce("big "+r.String(), parsers.Problem{Kind: parsers.ProblemParse, Range: r,
		Message: fmt.Sprintf("the value of this expression would be larger than hoplint's limit of %d bytes; hoplint took it as unknown", maxValueSize)})
	return false
}

// ensureBudget gives the loader a fresh budget when it has none (each root
// module starts without one).
func (l *loader) ensureBudget() {
	if l.budget == nil {
		l.budget = &budget{work: maxWork}
		l.funcs = budgetFunctions(l.budget)
	}
}
