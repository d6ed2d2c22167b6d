package node

import (
	"math"
	"strconv"
	"strings"

	"github.com/hoplint/hoplint/parsers"
)

// ValueKind says what is known about a value.
type ValueKind int

// The kinds of Value.
const (
	// Unknown: computed at run time in a way hoplint does not follow
	// (a function call, a config object from another file); Reason says how.
	Unknown ValueKind = iota
	// Number: a literal number, or one that folds to a number from literals
	// and constants of the same file.
	Number
	// String: a literal string ('500kB').
	String
	// Env: read from an environment variable, with a literal fallback when
	// Fallback is set. The caller resolves it against the environment of the
	// container that runs the code, else uses the fallback.
	Env
)

// Value is a setting's value as the code writes it.
type Value struct {
	Kind   ValueKind
	Number float64 // Kind Number
	Str    string  // Kind String
	// Env is the variable's name (Kind Env). ToNumber records whether the
	// code converts it with Number(), parseInt() or a unary plus.
	Env      string
	ToNumber bool
	// Op says when Fallback applies: "??" when the variable is unset, "||"
	// also when it is empty (or converts to 0 or NaN), "?:" when it is unset
	// or empty.
	Op       string
	Fallback *Value
	// convertedFirst: the conversion comes before the fallback
	// (Number(process.env.X) || 65000), so a value that converts to 0 or
	// NaN also takes the fallback.
	convertedFirst bool
	// Reason says why a value is Unknown, in words for a message.
	Reason string
	// Text is the expression as written, shortened for messages.
	Text  string
	Range parsers.Range
}

// Known reports whether the value is a number or a string from the file.
func (v Value) Known() bool { return v.Kind == Number || v.Kind == String }

// Resolve gives the value for an environment: env looks a variable up (nil:
// the environment is unknown). ok is false when the value stays unknown.
func (v Value) Resolve(env func(string) (string, bool)) (Value, bool) {
	switch v.Kind {
	case Number, String:
		return v, true
	case Env:
		if env == nil {
			return Value{}, false
		}
		s, set := env(v.Env)
		useFallback := !set || v.Op != "??" && s == ""
		if !useFallback && v.ToNumber && v.Op == "||" && v.convertedFirst {
			if n, ok := jsNumber(s); !ok || n == 0 {
				useFallback = true
			}
		}
		if useFallback {
			if v.Fallback == nil {
				return Value{}, false
			}
			return v.Fallback.Resolve(env)
		}
		out := v
		out.Kind, out.Str = String, s
		if v.ToNumber {
			n, ok := jsNumber(s)
			if !ok {
				return Value{}, false
			}
			out.Kind, out.Number = Number, n
		}
		return out, true
	}
	return Value{}, false
}

// jsNumber converts a string as Number() does for the decimal forms that
// settings use; anything else is not a number hoplint will vouch for.
func jsNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(n, 0) || math.IsNaN(n) {
		return 0, false
	}
	return n, true
}

// numericLiteral reads a JavaScript number literal: decimal with exponent,
// hex, octal, binary, with numeric separators (65_000). BigInts (65n) and
// anything not finite are refused.
func numericLiteral(s string) (float64, bool) {
	s = strings.ReplaceAll(s, "_", "")
	if s == "" || strings.HasSuffix(s, "n") {
		return 0, false
	}
	if len(s) > 2 && s[0] == '0' {
		base := 0
		switch s[1] {
		case 'x', 'X':
			base = 16
		case 'o', 'O':
			base = 8
		case 'b', 'B':
			base = 2
		}
		if base != 0 {
			u, err := strconv.ParseUint(s[2:], base, 64)
			if err != nil {
				return 0, false
			}
			return float64(u), true
		}
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(n, 0) || math.IsNaN(n) {
		return 0, false
	}
	return n, true
}

// Bytes reads a body limit as body-parser does: a number is bytes; a string
// goes through the `bytes` package (b, kb, mb, gb, tb, pb, case-insensitive,
// powers of 1024; no unit is bytes). ok is false for anything else, which
// body-parser would reject or hoplint cannot tell.
func (v Value) Bytes() (int64, bool) {
	switch v.Kind {
	case Number:
		if v.Number < 0 || v.Number > math.MaxInt64/2 {
			return 0, false
		}
		return int64(v.Number), true
	case String:
		return parseBytes(v.Str)
	}
	return 0, false
}

func parseBytes(s string) (int64, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	units := []struct {
		suffix string
		mult   float64
	}{{"pb", 1 << 50}, {"tb", 1 << 40}, {"gb", 1 << 30}, {"mb", 1 << 20}, {"kb", 1 << 10}, {"b", 1}}
	mult := 1.0
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	if s == "" || strings.ContainsAny(s, "eExX_") {
		return 0, false
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || n < 0 || n*mult > math.MaxInt64/2 {
		return 0, false
	}
	return int64(n * mult), true
}
