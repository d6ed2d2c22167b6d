package terraform

import (
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/hoplint/hoplint/parsers"
)

// Value is an evaluated attribute: its value as Terraform would see it at
// plan time, where it is written, the places the value passed through, and
// the resources it refers to.
type Value struct {
	// Val is the value without marks; cty.NilVal when the attribute is absent.
	Val cty.Value
	// Set: the attribute is written (its value may still be null or unknown).
	Set bool
	// Known: the value is known before apply.
	Known bool
	// Range is the attribute as written; zero when absent.
	Range parsers.Range
	// Via lists the variable default, tfvars line or module input the value
	// came through.
	Via []parsers.Related
	// Refs lists the resources the value refers to (aws_lb.web.dns_name).
	Refs []Ref
}

// Present reports whether the value is written, known and not null: a
// value the provider will send to AWS instead of its default.
func (v Value) Present() bool { return v.Set && v.Known && !v.Val.IsNull() }

// Defaulted reports whether the provider default applies: the attribute is
// absent or known to be null.
func (v Value) Defaulted() bool { return !v.Set || (v.Known && v.Val.IsNull()) }

// Unknown reports whether the attribute is written but its value is only
// known at apply time (or not at all to hoplint).
func (v Value) Unknown() bool { return v.Set && !v.Known }

// Int returns the value as a whole number, converting "80" as Terraform
// would for a number argument.
func (v Value) Int() (int64, bool) {
	if !v.Present() {
		return 0, false
	}
	n, err := convert.Convert(v.Val, cty.Number)
	if err != nil || !n.IsKnown() || n.IsNull() {
		return 0, false
	}
	bf := n.AsBigFloat()
	if !bf.IsInt() {
		return 0, false
	}
	i, acc := bf.Int64()
	if acc != big.Exact {
		return 0, false
	}
	return i, true
}

// Str returns the value as a string, converting numbers and bools as
// Terraform would for a string argument.
func (v Value) Str() (string, bool) {
	if !v.Present() {
		return "", false
	}
	s, err := convert.Convert(v.Val, cty.String)
	if err != nil || !s.IsKnown() || s.IsNull() {
		return "", false
	}
	return s.AsString(), true
}

// Strings returns a list (or tuple, or set) of known strings, converting
// elements as Terraform would.
func (v Value) Strings() ([]string, bool) {
	if !v.Present() {
		return nil, false
	}
	if t := v.Val.Type(); !t.IsListType() && !t.IsTupleType() && !t.IsSetType() {
		return nil, false
	}
	var out []string
	for it := v.Val.ElementIterator(); it.Next(); {
		_, ev := it.Element()
		s, err := convert.Convert(ev, cty.String)
		if err != nil || !s.IsKnown() || s.IsNull() {
			return nil, false
		}
		out = append(out, s.AsString())
	}
	return out, true
}

// Bool returns the value as a bool.
func (v Value) Bool() (bool, bool) {
	if !v.Present() {
		return false, false
	}
	b, err := convert.Convert(v.Val, cty.Bool)
	if err != nil || !b.IsKnown() || b.IsNull() {
		return false, false
	}
	return b.True(), true
}

// Ref names a resource instance an expression refers to.
type Ref struct {
	// Module is the module path of the resource ("" for the root module,
	// "module.alb", "module.alb[\"a\"].module.x").
	Module string
	Type   string
	Name   string
	// Key is the instance key ("0", "blue"); AnyKey when the expression
	// refers to the resource as a whole or with a key hoplint cannot know.
	Key    string
	AnyKey bool
}

func (r Ref) String() string {
	s := r.Type + "." + r.Name
	if r.Module != "" {
		s = r.Module + "." + s
	}
	if !r.AnyKey && r.Key != "" {
		s += "[" + r.Key + "]"
	}
	return s
}

// origin marks a value with a place it came from.
type origin struct {
	File           string
	SL, SC, EL, EC int
	Msg            string
}

func (o origin) related() parsers.Related {
	return parsers.Related{
		Range:   parsers.Range{File: o.File, Start: parsers.Pos{Line: o.SL, Col: o.SC}, End: parsers.Pos{Line: o.EL, Col: o.EC}},
		Message: o.Msg,
	}
}

func originAt(r parsers.Range, msg string) origin {
	return origin{File: r.File, SL: r.Start.Line, SC: r.Start.Col, EL: r.End.Line, EC: r.End.Col, Msg: msg}
}

// marksOf returns the places and references recorded on a value, anywhere
// inside it, in a stable order.
func marksOf(v cty.Value) (cty.Value, []parsers.Related, []Ref) {
	un, pvm := v.UnmarkDeepWithPaths()
	var via []parsers.Related
	var refs []Ref
	seenO := map[origin]bool{}
	seenR := map[Ref]bool{}
	for _, pm := range pvm {
		for m := range pm.Marks {
			switch m := m.(type) {
			case origin:
				if !seenO[m] {
					seenO[m] = true
					via = append(via, m.related())
				}
			case Ref:
				if !seenR[m] {
					seenR[m] = true
					refs = append(refs, m)
				}
			}
		}
	}
	sort.Slice(via, func(i, j int) bool {
		if via[i].Range != via[j].Range {
			return via[i].Range.Less(via[j].Range)
		}
		return via[i].Message < via[j].Message
	})
	sort.Slice(refs, func(i, j int) bool { return refs[i].String() < refs[j].String() })
	return un, via, refs
}

// render writes a value briefly, for messages: 120, "HTTP", null, {…}.
func render(v cty.Value) string {
	v, _ = v.UnmarkDeep()
	switch {
	case v == cty.NilVal:
		return "nothing"
	case !v.IsKnown():
		return "(known after apply)"
	case v.IsNull():
		return "null"
	}
	switch {
	case v.Type() == cty.String:
		s := v.AsString()
		if len(s) > 60 {
			s = s[:57] + "..."
		}
		return strconv.Quote(s)
	case v.Type() == cty.Number:
		bf := v.AsBigFloat()
		if bf.IsInt() {
			i, _ := bf.Int(nil)
			return i.String()
		}
		return bf.Text('g', 10)
	case v.Type() == cty.Bool:
		return fmt.Sprint(v.True())
	case v.Type().IsObjectType() || v.Type().IsMapType():
		return "{…}"
	case v.Type().IsTupleType() || v.Type().IsListType() || v.Type().IsSetType():
		return "[…]"
	}
	return strings.TrimSpace(v.GoString())
}
