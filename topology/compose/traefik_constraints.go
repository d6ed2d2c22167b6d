package compose

import (
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"strconv"
	"strings"

	"github.com/hoplint/hoplint/parsers/compose"
)

// maxConstraintLen bounds the expression hoplint parses: a real one is a
// line or two (Label(`traefik.constraint-label`, `stack`)).
const maxConstraintLen = 4096

// matchConstraints tells whether a container with these labels passes
// Traefik's providers.docker.constraints expression, as Traefik decides
// it (docs/facts/traefik.md): a boolean combination, with &&, || and !,
// of Label(`name`, `value`) (the label is set to exactly value) and
// LabelRegex(`name`, `regexp`) (its value matches the regular
// expression anywhere). Traefik parses the expression as a Go expression
// (through github.com/vulcand/predicate), so go/parser reads it here.
// known is false when hoplint cannot decide: an expression it does not
// parse or that uses anything else, a label whose value it does not know.
func matchConstraints(expr string, labels map[string]compose.String) (match, known bool) {
	if len(expr) > maxConstraintLen {
		return false, false
	}
	e, err := parser.ParseExpr(expr)
	if err != nil {
		return false, false
	}
	return evalConstraint(e, labels, 0)
}

func evalConstraint(e ast.Expr, labels map[string]compose.String, depth int) (match, known bool) {
	if depth > 100 {
		return false, false
	}
	switch e := e.(type) {
	case *ast.ParenExpr:
		return evalConstraint(e.X, labels, depth+1)
	case *ast.UnaryExpr:
		if e.Op != token.NOT {
			return false, false
		}
		m, ok := evalConstraint(e.X, labels, depth+1)
		return ok && !m, ok
	case *ast.BinaryExpr:
		if e.Op != token.LAND && e.Op != token.LOR {
			return false, false
		}
		a, aok := evalConstraint(e.X, labels, depth+1)
		b, bok := evalConstraint(e.Y, labels, depth+1)
		// One known side can decide: false && ?, true || ?.
		switch {
		case e.Op == token.LAND && (aok && !a || bok && !b):
			return false, true
		case e.Op == token.LOR && (aok && a || bok && b):
			return true, true
		case !aok || !bok:
			return false, false
		case e.Op == token.LAND:
			return a && b, true
		default:
			return a || b, true
		}
	case *ast.CallExpr:
		return evalConstraintCall(e, labels)
	}
	return false, false
}

func evalConstraintCall(e *ast.CallExpr, labels map[string]compose.String) (match, known bool) {
	fn, ok := e.Fun.(*ast.Ident)
	if !ok || len(e.Args) != 2 || e.Ellipsis.IsValid() {
		return false, false
	}
	var args [2]string
	for i, a := range e.Args {
		lit, ok := a.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return false, false
		}
		s, err := strconv.Unquote(lit.Value)
		if err != nil {
			return false, false
		}
		args[i] = s
	}
	v, set := labels[args[0]]
	switch {
	case set && !v.Known:
		return false, false
	case !set && strings.HasPrefix(args[0], "com.docker."):
		// Labels Docker and compose add themselves (the project's
		// name, the service's): not written in the file.
		return false, false
	}
	switch fn.Name {
	case "Label":
		// A label that is not set reads as "", as in Traefik's map.
		return v.Value == args[1], true
	case "LabelRegex":
		re, err := regexp.Compile(args[1])
		if err != nil {
			return false, true // Traefik takes a bad expression as no match
		}
		return re.MatchString(v.Value), true
	}
	return false, false
}
