package config

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/hoplint/hoplint/parsers"
)

// pumaKeys are the Puma DSL methods read: timeouts in seconds, the port
// and binds, and workers and threads.
var pumaKeys = map[string]string{
	"persistent_timeout": "seconds", "first_data_timeout": "seconds", "worker_timeout": "seconds",
	"port": "int", "bind": "string", "workers": "int", "threads": "int",
}

// ParsePumaRB reads config/puma.rb without running Ruby: each line that
// calls one of the methods above at the start of a line, with literal
// arguments, or ENV.fetch("X") { lit }, ENV.fetch("X", lit), ENV["X"] ||
// lit (optionally inside Integer(…) or followed by .to_i), gives a
// setting. A call inside an if/unless/case block or a do…end block, or
// followed by a modifier (`workers n if …`), carries a Condition. Other
// arguments are Unknown.
func ParsePumaRB(f *parsers.File) *Result {
	if len(f.Bytes()) > MaxSize {
		return tooLarge(f)
	}
	res := &Result{}
	var blocks []string
	heredoc := ""
	locals := pumaLocals(f)
	for n := 1; n <= f.NumLines(); n++ {
		text := f.Line(n)
		if heredoc != "" {
			if strings.TrimSpace(text) == heredoc {
				heredoc = ""
			}
			continue
		}
		code := rubyCode(text)
		from, to := trimmed(code, 0, len(code))
		if from == to {
			continue
		}
		stmt := code[from:to]
		if i := strings.Index(stmt, "<<~"); i >= 0 {
			heredoc = strings.Trim(stmt[i+3:], "'\"` ")
		} else if i := strings.Index(stmt, "<<-"); i >= 0 {
			heredoc = strings.Trim(stmt[i+3:], "'\"` ")
		}
		word := stmt
		if i := strings.IndexAny(stmt, " (\t"); i >= 0 {
			word = stmt[:i]
		}
		switch word {
		case "end":
			if len(blocks) > 0 {
				blocks = blocks[:len(blocks)-1]
			}
			continue
		case "if", "unless", "case", "while", "until", "begin", "def", "class", "module":
			blocks = append(blocks, stmt)
			continue
		case "else", "elsif", "when":
			if len(blocks) > 0 {
				blocks[len(blocks)-1] = stmt
			}
			continue
		}
		opens := strings.HasSuffix(stmt, " do") || strings.Contains(stmt, " do |")
		kind, ok := pumaKeys[word]
		if ok {
			args := strings.TrimSpace(stmt[len(word):])
			cond := blockCondition(blocks)
			for _, mod := range []string{" if ", " unless "} {
				if i := strings.LastIndex(args, mod); i >= 0 {
					if cond != "" {
						cond += "; "
					}
					cond += strings.TrimSpace(args[i:])
					args = strings.TrimSpace(args[:i])
				}
			}
			if strings.HasPrefix(args, "(") && strings.HasSuffix(args, ")") {
				args = args[1 : len(args)-1]
			}
			if kind == "int" && word == "threads" {
				// threads min, max: the maximum serves requests.
				if i := strings.LastIndexByte(args, ','); i >= 0 {
					args = strings.TrimSpace(args[i+1:])
				}
			}
			vf := from + len(word)
			for vf < to && (code[vf] == ' ' || code[vf] == '(' || code[vf] == '\t') {
				vf++
			}
			v := rubyValue(kind, args)
			if expr, ok := locals[args]; ok {
				v = rubyValue(kind, expr)
			} else if isRubyIdent(args) {
				v = unknown("`" + args + "` is not a variable assigned once, at the top of this file")
			}
			res.Settings = append(res.Settings, Setting{Name: word, Raw: args, Value: v, Reparse: pumaReparse(kind),
				Range: lineRange(f, n, from, to), ValueRange: lineRange(f, n, vf, to), Condition: cond})
		}
		if opens {
			blocks = append(blocks, stmt)
		}
	}
	return res
}

// maxCondition bounds the blocks named in a setting's Condition: only
// whether there is one matters to a rule, and joining every open block
// for every setting was quadratic (100,000 nested ifs each followed by a
// setting took gigabytes).
const maxCondition = 4

// blockCondition is the Condition of a setting inside blocks: the
// innermost maxCondition of them.
func blockCondition(blocks []string) string {
	if len(blocks) <= maxCondition {
		return strings.Join(blocks, "; ")
	}
	return "…; " + strings.Join(blocks[len(blocks)-maxCondition:], "; ")
}

// rubyCode drops a trailing # comment outside strings.
func rubyCode(text string) string {
	var q byte
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case q != 0 && c == '\\':
			i++
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '"' || c == '\'':
			q = c
		case c == '#':
			return text[:i]
		}
	}
	return text
}

// rubyValue reads a literal argument, or an environment variable with a
// literal fallback.
func rubyValue(kind, args string) Value {
	s := strings.TrimSpace(args)
	if inner, ok := strings.CutPrefix(s, "Integer("); ok && strings.HasSuffix(inner, ")") {
		s = strings.TrimSpace(inner[:len(inner)-1])
	}
	s = strings.TrimSuffix(s, ".to_i")
	s = strings.TrimSuffix(s, ".to_s")
	// ENV.fetch("X") { lit } and ENV.fetch("X", lit)
	if rest, ok := strings.CutPrefix(s, "ENV.fetch("); ok {
		close := strings.IndexByte(rest, ')')
		if close < 0 {
			return unknown("not a literal")
		}
		inside := strings.Split(rest[:close], ",")
		name, ok := rubyString(strings.TrimSpace(inside[0]))
		if !ok {
			return unknown("not a literal")
		}
		v := Value{Kind: Env, Env: name}
		var fb string
		switch after := strings.TrimSpace(rest[close+1:]); {
		case len(inside) == 2 && after == "":
			fb = strings.TrimSpace(inside[1])
		case len(inside) == 1 && strings.HasPrefix(after, "{") && strings.HasSuffix(after, "}"):
			fb = strings.TrimSpace(after[1 : len(after)-1])
		default:
			return unknown("not a literal")
		}
		lit := rubyValue(kind, fb)
		if lit.Kind == Unknown || lit.Kind == Env {
			return unknown("the fallback is not a literal")
		}
		v.Fallback = &lit
		return v
	}
	// ENV["X"] || lit
	if rest, ok := strings.CutPrefix(s, "ENV["); ok {
		close := strings.IndexByte(rest, ']')
		if close < 0 {
			return unknown("not a literal")
		}
		name, ok := rubyString(rest[:close])
		if !ok {
			return unknown("not a literal")
		}
		v := Value{Kind: Env, Env: name}
		after := strings.TrimSpace(rest[close+1:])
		if after == "" {
			return v
		}
		if fb, ok := strings.CutPrefix(after, "||"); ok {
			lit := rubyValue(kind, fb)
			if lit.Kind == Unknown || lit.Kind == Env {
				return unknown("the fallback is not a literal")
			}
			v.Fallback = &lit
			return v
		}
		return unknown("not a literal")
	}
	if str, ok := rubyString(s); ok {
		if kind == "string" {
			return Value{Kind: String, Str: str}
		}
		if kind == "int" {
			if n, err := strconv.ParseInt(str, 10, 64); err == nil {
				return Value{Kind: Int, Int: n}
			}
		}
		return unknown("a string where Puma expects a number")
	}
	n, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64)
	if err != nil || math.IsInf(n, 0) || n > 1e15 || n < -1e15 {
		return unknown("`" + s + "` is not a literal (hoplint runs no Ruby)")
	}
	switch kind {
	case "seconds":
		return Value{Kind: Duration, Duration: time.Duration(n * float64(time.Second))}
	case "int":
		if n != math.Trunc(n) {
			return unknown("not a whole number")
		}
		return Value{Kind: Int, Int: int64(n)}
	}
	return unknown("a number where Puma expects a string")
}

// rubyString reads '…' or "…" without interpolation or escapes.
func rubyString(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 2 || (s[0] != '"' && s[0] != '\'') || s[len(s)-1] != s[0] {
		return "", false
	}
	inner := s[1 : len(s)-1]
	if strings.ContainsAny(inner, `\"'`) || s[0] == '"' && strings.Contains(inner, "#{") {
		return "", false
	}
	return inner, true
}

// pumaLocals maps the local variables assigned exactly once in the file
// (rails_env = ENV.fetch(…)) to their expression, when that assignment is
// at the top level; a variable assigned more than once, or inside a
// block, is left out.
func pumaLocals(f *parsers.File) map[string]string {
	count := map[string]int{}
	top := map[string]string{}
	depth := 0
	for n := 1; n <= f.NumLines(); n++ {
		stmt := strings.TrimSpace(rubyCode(f.Line(n)))
		word := stmt
		if i := strings.IndexAny(stmt, " (\t"); i >= 0 {
			word = stmt[:i]
		}
		switch word {
		case "end":
			depth--
			continue
		case "if", "unless", "case", "while", "until", "begin", "def", "class", "module":
			depth++
			continue
		}
		if i := strings.Index(stmt, " = "); i > 0 && isRubyIdent(stmt[:i]) {
			name := stmt[:i]
			count[name]++
			if depth == 0 {
				top[name] = strings.TrimSpace(stmt[i+3:])
			}
		}
		if strings.HasSuffix(stmt, " do") || strings.Contains(stmt, " do |") {
			depth++
		}
	}
	out := map[string]string{}
	for name, expr := range top {
		if count[name] == 1 {
			out[name] = expr
		}
	}
	return out
}

func isRubyIdent(s string) bool {
	if s == "" || s[0] != '_' && (s[0] < 'a' || s[0] > 'z') {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !rubyWordChar(c) {
			return false
		}
	}
	return true
}

func rubyWordChar(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// pumaReparse reads an environment variable's value (a string, as ENV
// gives it) as the Puma method does once converted.
func pumaReparse(kind string) func(string) Value {
	return func(raw string) Value {
		if kind == "string" {
			return Value{Kind: String, Str: raw}
		}
		return rubyValue(kind, strings.TrimSpace(raw))
	}
}
