package node

import (
	"math"
	"strings"

	"github.com/tdewolff/parse/v2/js"

	"github.com/hoplint/hoplint/parsers"
)

// value evaluates e without running anything: literals, arithmetic on
// them, the file's constants and environment variables with a fallback.
// Its Range is where the value is written: the expression, else the
// constant it names, else the parent that holds it (a call's arguments).
func (w *walker) value(e js.IExpr, parent js.INode) Value {
	v := w.eval(e, 0, map[*js.Var]bool{})
	v.Text = w.text(e)
	if _, _, ok := w.span(e); ok {
		v.Range = w.rangeOf(e)
		return v
	}
	if vr, ok := e.(*js.Var); ok {
		if init, ok := w.consts[root(vr)]; ok {
			if _, _, ok := w.span(init); ok {
				v.Range = w.rangeOf(init)
				return v
			}
		}
	}
	v.Range = w.rangeOf(parent)
	return v
}

// place sets where a fallback is written.
func (w *walker) place(v *Value, e js.IExpr) {
	v.Text = w.text(e)
	if _, _, ok := w.span(e); ok {
		v.Range = w.rangeOf(e)
	}
}

func unknown(reason string) Value { return Value{Kind: Unknown, Reason: reason} }

func (w *walker) eval(e js.IExpr, depth int, visiting map[*js.Var]bool) Value {
	if depth > maxDepth {
		return unknown("the expression is nested too deeply for hoplint to follow")
	}
	depth++
	switch e := e.(type) {
	case *js.LiteralExpr:
		return literal(e)
	case js.LiteralExpr:
		return literal(&e)
	case *js.TemplateExpr:
		if e.Tag == nil && len(e.List) == 0 {
			return Value{Kind: String, Str: unquote(e.Tail)}
		}
	case *js.GroupExpr:
		return w.eval(e.X, depth, visiting)
	case *js.Var:
		v := root(e)
		init, ok := w.consts[v]
		if !ok {
			return unknown("`" + string(v.Data) + "` is not a constant of this file")
		}
		if visiting[v] {
			return unknown("`" + string(v.Data) + "` is defined through itself")
		}
		visiting[v] = true
		defer delete(visiting, v)
		out := w.eval(init, depth, visiting)
		return out
	case *js.DotExpr, *js.IndexExpr:
		if name, ok := w.envName(e); ok {
			return Value{Kind: Env, Env: name}
		}
		if d, ok := e.(*js.DotExpr); ok {
			return unknown("read from `" + w.text(d.X) + "` at run time, an object this file does not build from literals")
		}
		return unknown("read from an object at run time")
	case *js.UnaryExpr:
		x := w.eval(e.X, depth, visiting)
		switch e.Op {
		case js.NegToken:
			if x.Kind == Number {
				return Value{Kind: Number, Number: -x.Number}
			}
		case js.PosToken:
			return toNumber(x)
		}
	case *js.BinaryExpr:
		return w.binary(e, depth, visiting)
	case *js.CondExpr:
		return w.cond(e, depth, visiting)
	case *js.CallExpr:
		return w.callValue(e, depth, visiting)
	}
	return unknown("computed at run time")
}

func literal(l *js.LiteralExpr) Value {
	switch {
	case l.TokenType == js.StringToken:
		s := unquote(l.Data)
		if strings.Contains(s, "\\") {
			return unknown("the string has escapes")
		}
		return Value{Kind: String, Str: s}
	case l.TokenType&0x0100 != 0: // numeric tokens
		if n, ok := numericLiteral(string(l.Data)); ok {
			return Value{Kind: Number, Number: n}
		}
		return unknown("the number is not one hoplint reads (a BigInt, or too large)")
	}
	return unknown("computed at run time")
}

// envName recognises process.env.NAME and process.env['NAME'].
func (w *walker) envName(e js.IExpr) (string, bool) {
	var x js.IExpr
	var name string
	switch e := e.(type) {
	case *js.DotExpr:
		x, name = e.X, dotName(e)
	case *js.IndexExpr:
		lit, ok := e.Y.(*js.LiteralExpr)
		if !ok || lit.TokenType != js.StringToken {
			return "", false
		}
		x, name = e.X, unquote(lit.Data)
	default:
		return "", false
	}
	d, ok := x.(*js.DotExpr)
	if !ok || dotName(d) != "env" {
		return "", false
	}
	p, ok := d.X.(*js.Var)
	return name, ok && string(p.Data) == "process" && name != ""
}

// toNumber is Number(x) on a known value; an environment variable is
// marked to be converted when it is resolved.
func toNumber(x Value) Value {
	switch x.Kind {
	case Number:
		return x
	case String:
		if n, ok := jsNumber(x.Str); ok {
			x.Kind, x.Number, x.Str = Number, n, ""
			return x
		}
		return unknown("the string is not a number")
	case Env:
		x.ToNumber = true
		if x.Fallback != nil {
			f := toNumber(*x.Fallback)
			x.Fallback = &f
		}
		return x
	}
	return x
}

func finite(n float64) Value {
	if math.IsInf(n, 0) || math.IsNaN(n) {
		return unknown("the arithmetic overflows or is not a number")
	}
	return Value{Kind: Number, Number: n}
}

func (w *walker) binary(e *js.BinaryExpr, depth int, visiting map[*js.Var]bool) Value {
	x := w.eval(e.X, depth, visiting)
	switch e.Op {
	case js.NullishToken, js.OrToken:
		op := "??"
		if e.Op == js.OrToken {
			op = "||"
		}
		switch x.Kind {
		case Env:
			if x.Fallback != nil {
				return unknown("more than one fallback")
			}
			y := w.eval(e.Y, depth, visiting)
			if !y.Known() {
				return unknown("the fallback is " + y.Reason)
			}
			w.place(&y, e.Y)
			x.Op, x.Fallback = op, &y
			x.convertedFirst = x.ToNumber
			return x
		case Number:
			if op == "??" || x.Number != 0 {
				return x
			}
			return w.eval(e.Y, depth, visiting)
		case String:
			if op == "??" || x.Str != "" {
				return x
			}
			return w.eval(e.Y, depth, visiting)
		}
		return x
	}
	y := w.eval(e.Y, depth, visiting)
	if e.Op == js.AddToken && x.Kind == String && y.Kind == String {
		return Value{Kind: String, Str: x.Str + y.Str}
	}
	if x.Kind != Number || y.Kind != Number {
		if x.Kind == Unknown {
			return x
		}
		if y.Kind == Unknown {
			return y
		}
		return unknown("computed at run time")
	}
	a, b := x.Number, y.Number
	switch e.Op {
	case js.AddToken:
		return finite(a + b)
	case js.SubToken:
		return finite(a - b)
	case js.MulToken:
		return finite(a * b)
	case js.DivToken:
		if b == 0 {
			return unknown("division by zero")
		}
		return finite(a / b)
	case js.ModToken:
		if b == 0 {
			return unknown("division by zero")
		}
		return finite(math.Mod(a, b))
	case js.ExpToken:
		return finite(math.Pow(a, b))
	}
	return unknown("computed at run time")
}

// cond reads process.env.X ? f(process.env.X) : fallback.
func (w *walker) cond(e *js.CondExpr, depth int, visiting map[*js.Var]bool) Value {
	name, ok := w.envName(e.Cond)
	if !ok {
		return unknown("chosen at run time")
	}
	x := w.eval(e.X, depth, visiting)
	y := w.eval(e.Y, depth, visiting)
	if x.Kind != Env || x.Env != name || x.Fallback != nil || !y.Known() {
		return unknown("chosen at run time")
	}
	w.place(&y, e.Y)
	x.Op, x.Fallback = "?:", &y
	return x
}

// callValue folds Number(x), parseInt(x[, 10]) and parseFloat(x).
func (w *walker) callValue(c *js.CallExpr, depth int, visiting map[*js.Var]bool) Value {
	fn, ok := c.X.(*js.Var)
	if !ok || len(c.Args.List) == 0 {
		return unknown("returned by a function call")
	}
	name := string(fn.Data)
	switch name {
	case "Number", "parseFloat":
		if len(c.Args.List) != 1 {
			return unknown("returned by a function call")
		}
	case "parseInt":
		if len(c.Args.List) == 2 {
			radix := w.eval(c.Args.List[1].Value, depth, visiting)
			if radix.Kind != Number || radix.Number != 10 {
				return unknown("parsed in a base other than 10")
			}
		} else if len(c.Args.List) != 1 {
			return unknown("returned by a function call")
		}
	default:
		return unknown("returned by " + name + "()")
	}
	x := w.eval(c.Args.List[0].Value, depth, visiting)
	if name == "parseInt" {
		x = truncate(toNumber(x))
	} else {
		x = toNumber(x)
	}
	return x
}

func truncate(v Value) Value {
	if v.Kind == Number {
		v.Number = math.Trunc(v.Number)
	}
	if v.Kind == Env && v.Fallback != nil && v.Fallback.Kind == Number {
		f := *v.Fallback
		f.Number = math.Trunc(f.Number)
		v.Fallback = &f
	}
	return v
}

// spanner collects the byte spans, in the user's file, of the names,
// numbers and strings under a node: the parser keeps no positions, but
// these are slices of its input.
type spanner struct {
	w      *walker
	lo, hi int
	ok     bool
}

func (s *spanner) add(b []byte) {
	off, ok := s.w.src.offsetOf(b)
	if !ok {
		return
	}
	lo, ok := s.w.src.orig(off)
	if !ok {
		return
	}
	hi := tokenEnd(s.w.src.file.Bytes(), lo)
	if s.w.src.smap == nil {
		hi = lo + len(b)
	}
	if !s.ok || lo < s.lo {
		s.lo = lo
	}
	if !s.ok || hi > s.hi {
		s.hi = hi
	}
	s.ok = true
}

func (s *spanner) Enter(n js.INode) js.IVisitor {
	switch n := n.(type) {
	case *js.LiteralExpr:
		s.add(n.Data)
	case js.LiteralExpr:
		s.add(n.Data)
	case *js.TemplateExpr:
		for _, p := range n.List {
			s.add(p.Value)
		}
		s.add(n.Tail)
	}
	return s
}

func (s *spanner) Exit(js.INode) {}

// span returns the offsets in the user's file that n covers, widened to
// the names and calls around its first and last token.
func (w *walker) span(n js.INode) (int, int, bool) {
	s := &spanner{w: w}
	js.Walk(s, n)
	if !s.ok {
		return 0, 0, false
	}
	data := w.src.file.Bytes()
	lo, hi := s.lo, s.hi
	lo = dottedBefore(data, lo)
	// A leading variable has no slice of its own: take the name before
	// `(` of a call to a variable (Number(…), require('http').x) or before
	// the operator of a binary expression (KEEP + 1000).
	switch leftmostVar(n) {
	case "call":
		lo = dottedBefore(data, nameBefore(data, lo, "({[", true))
	case "binary":
		lo = dottedBefore(data, nameBefore(data, lo, "+-*/%?|&<>=!", false))
	}
	// Close what the span opened, and take a call's arguments.
	hi = closeParens(data, lo, hi)
	return lo, hi, true
}

// dottedBefore moves lo back over the names and dots before it:
// `server.` of server.keepAliveTimeout.
func dottedBefore(data []byte, lo int) int {
	for lo > 0 && (isIdent(data[lo-1]) || data[lo-1] == '.' || data[lo-1] == '?' && lo < len(data) && data[lo] == '.') {
		lo--
	}
	return lo
}

// leftmostVar says what holds the variable an expression starts with, if
// it starts with one: "call" for f(…), "binary" for a + …, else "".
func leftmostVar(n js.INode) string {
	for i := 0; i < maxDepth; i++ {
		switch e := n.(type) {
		case *js.CallExpr:
			if _, ok := e.X.(*js.Var); ok {
				return "call"
			}
			n = e.X
		case *js.BinaryExpr:
			if _, ok := e.X.(*js.Var); ok {
				return "binary"
			}
			n = e.X
		case *js.DotExpr:
			n = e.X
		case *js.IndexExpr:
			n = e.X
		case *js.CondExpr:
			n = e.Cond
		default:
			return ""
		}
	}
	return ""
}

// nameBefore moves lo back over blanks and the characters in ops (all of
// them in a row when call is set, which needs a "(" among them), then
// blanks and a name; lo stays where it is unless all are there.
func nameBefore(data []byte, lo int, ops string, call bool) int {
	i := lo
	for i > 0 && (data[i-1] == ' ' || data[i-1] == '\t') {
		i--
	}
	j := i
	paren := false
	for j > 0 && strings.IndexByte(ops, data[j-1]) >= 0 && (call || i-j < 3) {
		paren = paren || data[j-1] == '('
		j--
		for call && j > 0 && (data[j-1] == ' ' || data[j-1] == '\t' || data[j-1] == '\n') {
			j--
		}
	}
	if j == i || call && !paren {
		return lo
	}
	for j > 0 && (data[j-1] == ' ' || data[j-1] == '\t' || data[j-1] == '\n' || data[j-1] == '\r') {
		j--
	}
	k := j
	for k > 0 && (isIdent(data[k-1]) || data[k-1] >= 0x80) {
		k--
	}
	if k == j {
		return lo
	}
	return k
}

// closeParens extends hi over the closing parentheses of those opened in
// data[lo:hi], and over an argument list that starts right at hi.
func closeParens(data []byte, lo, hi int) int {
	depth := 0
	for i := lo; i < hi; i++ {
		switch data[i] {
		case '\'', '"', '`':
			i = tokenEnd(data, i) - 1
		case '(':
			depth++
		case ')':
			depth--
		}
	}
	if depth <= 0 && hi < len(data) && data[hi] == '(' {
		depth = 0
	}
	for i := hi; i < len(data) && i-hi < 1<<16; i++ {
		c := data[i]
		switch {
		case c == '\'' || c == '"' || c == '`':
			i = tokenEnd(data, i) - 1
		case c == '(':
			if depth == 0 && i != hi {
				return hi
			}
			depth++
		case c == ')':
			if depth == 0 {
				return hi
			}
			depth--
			hi = i + 1
			if depth == 0 {
				return hi
			}
		case depth == 0:
			return hi
		}
	}
	return hi
}

func (w *walker) rangeOf(n js.INode) parsers.Range {
	r, _ := w.placed(n)
	return r
}

// placed is n's range, and whether n could be placed at all: an
// expression with no literal of its own (createServer(), new Server(x))
// falls back to the file's first position.
func (w *walker) placed(n js.INode) (parsers.Range, bool) {
	f := w.src.file
	lo, hi, ok := w.span(n)
	if !ok {
		return f.At(1, 1, 1, 1), false
	}
	s, e := f.PosAt(lo), f.PosAt(hi)
	return f.At(s.Line-f.Shift.Line, s.Col-f.Shift.Col, e.Line-f.Shift.Line, e.Col-f.Shift.Col), true
}

// propRange covers `name: value` of an object property.
func (w *walker) propRange(p *js.Property) parsers.Range {
	return w.rangeOf(&js.ObjectExpr{List: []js.Property{*p}})
}

// text is the expression as written, on one line and shortened.
func (w *walker) text(n js.INode) string {
	lo, hi, ok := w.span(n)
	if !ok {
		if v, isVar := n.(*js.Var); isVar {
			return string(v.Data)
		}
		return ""
	}
	t := strings.Join(strings.Fields(string(w.src.file.Bytes()[lo:hi])), " ")
	if len(t) > 80 {
		t = t[:77] + "..."
	}
	return t
}
