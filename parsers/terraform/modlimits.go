package terraform

import (
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/hoplint/hoplint/parsers"
)

// maxModuleEvals caps how many module instances one root module may
// evaluate, counting only distinct input sets: four nested calls with
// count = 256 would otherwise ask for 256⁴ of them.
const maxModuleEvals = 1024

// limitNote reports, once per range, that a limit cut what hoplint reads.
// It is information, like an include hoplint did not follow: what lies
// beyond the limit is unknown, not wrong.
func (l *loader) limitNote(r parsers.Range, msg string) { l.unfollowed(r, msg) }

// inputsKey identifies a module instance by its directory and inputs:
// values, with the resources they refer to, but not the provenance notes
// (which name the instance and would make every key distinct).
func inputsKey(dir string, inputs map[string]cty.Value) string {
	names := make([]string, 0, len(inputs))
	for n := range inputs {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString(dir)
	for _, n := range names {
		un, pvm := unmarkDeepWithPaths(inputs[n])
		fmt.Fprintf(&b, "\x00%s=", n)
		writeValueKey(&b, un)
		var refs []string
		for _, pm := range pvm {
			for mk := range pm.Marks {
				if r, ok := mk.(Ref); ok {
					refs = append(refs, fmt.Sprintf("%#v@%#v", pm.Path, r))
				}
			}
		}
		sort.Strings(refs)
		b.WriteString(strings.Join(refs, ","))
	}
	return b.String()
}

// unmarkDeepWithPaths is v.UnmarkDeepWithPaths() without rebuilding v when
// its marks are all on v itself (a module input marked with where it was
// passed, most often).
func unmarkDeepWithPaths(v cty.Value) (cty.Value, []cty.PathValueMarks) {
	un, marks := v.Unmark()
	if un.ContainsMarked() {
		return v.UnmarkDeepWithPaths()
	}
	if len(marks) == 0 {
		return un, nil
	}
	return un, []cty.PathValueMarks{{Path: make(cty.Path, 0, 1), Marks: marks}}
}

// writeValueKey writes a key for v, which has no marks: two values get the
// same key exactly when their GoString is the same (what inputsKey used to
// write), without building the GoString of every nested value as a string
// of its own, which cost a third of inputsKey. A known string is itself,
// length-prefixed; other leaves (numbers, bools, nulls, unknowns, empty
// collections) are their GoString, length-prefixed; a
// collection is its kind, its length and its elements in the order
// GoString prints them (sorted keys for maps and objects).
func writeValueKey(b *strings.Builder, v cty.Value) {
	ty := v.Type()
	collection := ty.IsListType() || ty.IsSetType() || ty.IsTupleType() || ty.IsMapType() || ty.IsObjectType()
	if ty == cty.String && !v.IsMarked() && v.IsKnown() && !v.IsNull() {
		// A known string's GoString is the string quoted: the same
		// exactly when the strings are, like the string itself.
		b.WriteByte('s')
		writeLenString(b, v.AsString())
		return
	}
	if ty == cty.Number && !v.IsMarked() && v.IsKnown() && !v.IsNull() {
		// A whole number that fits in 64 bits, written in decimal: the
		// same exactly when the numbers are, as GoString's
		// NumberIntVal is, without formatting a big.Float (a quarter of
		// inputsKey's time on the ECS bench tree). Other numbers go
		// through GoString below.
		if bf := v.AsBigFloat(); bf.IsInt() {
			if i, acc := bf.Int64(); acc == big.Exact {
				b.WriteByte('i')
				writeLenString(b, strconv.FormatInt(i, 10))
				return
			}
		}
	}
	if !v.IsMarked() && v.IsNull() {
		// A null's GoString is its type's, which formats the whole type
		// (nulls of object types are most of the leaves of the ECS
		// bench tree's inputs).
		b.WriteByte('z')
		writeTypeKey(b, ty)
		return
	}
	if !collection || v.IsMarked() || !v.IsKnown() || v.LengthInt() == 0 {
		writeLenString(b, v.GoString())
		return
	}
	switch {
	case ty.IsListType():
		b.WriteByte('L')
	case ty.IsSetType():
		b.WriteByte('S')
	case ty.IsTupleType():
		b.WriteByte('T')
	case ty.IsMapType():
		b.WriteByte('M')
	default:
		b.WriteByte('O')
	}
	b.WriteString(strconv.Itoa(v.LengthInt()))
	b.WriteByte('[')
	if ty.IsMapType() || ty.IsObjectType() {
		m := v.AsValueMap()
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			writeLenString(b, k)
			writeValueKey(b, m[k])
		}
	} else {
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			writeValueKey(b, e)
		}
	}
	b.WriteByte(']')
}

// writeTypeKey writes a key for ty: two types get the same key exactly
// when their GoString is the same.
func writeTypeKey(b *strings.Builder, ty cty.Type) {
	switch {
	case ty == cty.String:
		b.WriteByte('S')
	case ty == cty.Number:
		b.WriteByte('N')
	case ty == cty.Bool:
		b.WriteByte('B')
	case ty == cty.DynamicPseudoType:
		b.WriteByte('D')
	case ty.IsListType():
		writeElementTypeKey(b, 'L', ty)
	case ty.IsSetType():
		writeElementTypeKey(b, 'E', ty)
	case ty.IsMapType():
		writeElementTypeKey(b, 'M', ty)
	case ty.IsTupleType():
		elems := ty.TupleElementTypes()
		b.WriteByte('T')
		b.WriteString(strconv.Itoa(len(elems)))
		b.WriteByte('(')
		for _, et := range elems {
			writeTypeKey(b, et)
		}
		b.WriteByte(')')
	case ty.IsObjectType():
		attrs := ty.AttributeTypes()
		names := make([]string, 0, len(attrs))
		for n := range attrs {
			names = append(names, n)
		}
		sort.Strings(names)
		var optional []string
		b.WriteByte('O')
		b.WriteString(strconv.Itoa(len(names)))
		b.WriteByte('(')
		for _, n := range names {
			writeLenString(b, n)
			writeTypeKey(b, attrs[n])
			if ty.AttributeOptional(n) {
				optional = append(optional, n)
			}
		}
		b.WriteByte(')')
		if len(optional) > 0 {
			b.WriteByte('?')
			b.WriteString(strconv.Itoa(len(optional)))
			for _, n := range optional {
				writeLenString(b, n)
			}
		}
	default: // capsules
		b.WriteByte('G')
		writeLenString(b, ty.GoString())
	}
}

// childOutputs evaluates a local child module for one instance, once per
// distinct input set per root module, within maxModuleEvals: the outputs
// its callers in this root module can read, the others unknown
// (demand.go).
func (m *modInst) childOutputs(c *moduleCall, childDir *moduleDir, modPath string, inputs map[string]cty.Value) cty.Value {
	b := m.l.budget
	key := inputsKey(childDir.abs, inputs)
	for _, v := range inputs {
		if !v.IsWhollyKnown() {
			// Values known only at apply time are the same only when
			// they come from the same expression: the instances of one
			// call still share an evaluation, but two calls whose inputs
			// differ in such values ("tg-${var.env}-blue" and
			// "tg-${var.env}-green") are evaluated apart, so that each
			// makes its own resources and references to them (a module
			// output naming one) stay apart.
			key += "\x00" + c.decl.String()
			break
		}
	}
	if out, ok := b.memo[key]; ok {
		m.shared[c.name]++
		return out
	}
	if b.evals >= maxModuleEvals {
		if !b.evalsNoted {
			b.evalsNoted = true
			m.l.limitNote(m.rng(c.decl), fmt.Sprintf("module %q: this root module already evaluated %d module instances with distinct inputs, hoplint's limit; it did not evaluate %s or any further instance, so what they create is unknown", c.name, maxModuleEvals, modPath))
		}
		return cty.DynamicVal
	}
	b.evals++
	child := m.l.newInst(childDir, modPath, inputs, m, append(append([]string(nil), m.stack...), childDir.abs))
	child.setVariables()
	child.run()
	out := child.outputsObject(m.l.needs[childDir.abs])
	if b.memo == nil {
		b.memo = map[string]cty.Value{}
	}
	b.memo[key] = out
	return out
}

// cycleNote reports a module call that would evaluate a module already
// being evaluated on the current path.
func (m *modInst) cycleNote(c *moduleCall) {
	m.l.limitNote(m.rng(c.srcExpr.Range()), fmt.Sprintf("module %q: source %q is a module already being evaluated on this path (%s), a module call cycle; hoplint did not follow it again", c.name, c.source, m.cyclePath()))
}

func (m *modInst) cyclePath() string {
	p := m.path
	if p == "" {
		p = "the root module"
	}
	return p
}

// depthNote reports a module call beyond maxModuleDepth.
func (m *modInst) depthNote(c *moduleCall) {
	m.l.limitNote(m.rng(c.srcExpr.Range()), fmt.Sprintf("module %q: modules are nested more than %d deep here, hoplint's limit; it did not read this one, so what it creates is unknown", c.name, maxModuleDepth))
}

// countNote reports count or for_each making more instances than hoplint
// reads.
func (m *modInst) countNote(expr hcl.Expression, what string) {
	m.l.limitNote(m.rng(expr.Range()), fmt.Sprintf("%s makes more than %d instances; hoplint read the first %d, so what the others set is not checked", what, maxInstances, maxInstances))
}

// sharedNote says, at a module call, that some of its instances were not
// evaluated on their own because an identical one already was.
func (m *modInst) sharedNote(c *moduleCall, total int) {
	n := m.shared[c.name]
	if n == 0 {
		return
	}
	if total == 1 {
		// One instance, the same as another call's: "1 of its 1
		// instances" read like a miscount.
		m.l.limitNote(m.rng(c.decl), fmt.Sprintf("module %q has the same source and inputs as a module call hoplint already evaluated; it evaluated them once, so a finding inside names the instance of that other call and holds for this one too", c.name))
		return
	}
	m.l.limitNote(m.rng(c.decl), fmt.Sprintf("module %q: %d of its %d instances have the same inputs as one hoplint already evaluated; it evaluated each distinct set of inputs once, so a finding inside names only the first such instance and holds for all of them", c.name, n, total))
}

// reachable returns the directories that the local module calls of the
// given roots reach, roots included.
func (l *loader) reachable(roots []string) map[string]bool {
	seen := map[string]bool{}
	queue := append([]string(nil), roots...)
	for len(queue) > 0 {
		d := queue[0]
		queue = queue[1:]
		if seen[d] {
			continue
		}
		seen[d] = true
		if e := l.dirs[d]; e != nil {
			queue = append(queue, e.calls...)
		}
	}
	return seen
}

// noteReadError remembers the first file of a module directory that could
// not be read, so that the call says why the module is unknown.
func (l *loader) noteReadError(dir, name string, err error) {
	if l.readErrors == nil {
		l.readErrors = map[string]string{}
	}
	if l.readErrors[dir] == "" {
		l.readErrors[dir] = name + ": " + err.Error()
	}
}

// writeElementTypeKey writes a list, set or map type: its letter and its
// element type.
func writeElementTypeKey(b *strings.Builder, letter byte, ty cty.Type) {
	b.WriteByte(letter)
	b.WriteByte('(')
	writeTypeKey(b, ty.ElementType())
	b.WriteByte(')')
}

// writeLenString writes s with its length in front, so that no string
// can be taken for the end of another.
func writeLenString(b *strings.Builder, s string) {
	b.WriteString(strconv.Itoa(len(s)))
	b.WriteByte(':')
	b.WriteString(s)
}
