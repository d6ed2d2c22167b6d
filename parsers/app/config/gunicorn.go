package config

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/hoplint/hoplint/parsers"
)

// gunicornKeys are the settings read from gunicorn.conf.py, with how
// gunicorn reads them: timeout and keepalive in seconds.
var gunicornKeys = map[string]string{
	"keepalive": "seconds", "timeout": "seconds", "graceful_timeout": "seconds",
	"worker_class": "string", "threads": "int", "workers": "int", "bind": "bind",
	"limit_request_line": "int", "limit_request_field_size": "int",
}

// ParseGunicornConf reads gunicorn.conf.py (or any gunicorn config file)
// without running it: a small tokenizer finds the statements at module
// level of the form `name = literal`, where the literal is a number, a
// string, True/False/None, or a list of strings (bind). Any other value,
// and any name also assigned in an indented block or by another statement
// form, is Unknown: only what the file says for certain is known.
func ParseGunicornConf(f *parsers.File) *Result {
	if len(f.Bytes()) > MaxSize {
		return tooLarge(f)
	}
	res := &Result{}
	stmts := pyStatements(f)
	other := map[string]int{} // a name assigned in a block, augmented, or through globals()
	for _, st := range stmts {
		if st.indented || !st.simple {
			for name := range gunicornKeys {
				if st.assigns(name) {
					other[name] = st.line
				}
			}
		}
	}
	for _, st := range stmts {
		if st.indented || !st.simple {
			continue
		}
		kind, ok := gunicornKeys[st.name]
		if !ok {
			continue
		}
		v := pyValue(kind, st.value)
		if st.truncated {
			v = unknown("an expression, not a literal (hoplint runs no Python)")
		}
		if line, ok := other[st.name]; ok {
			v = unknown("also assigned at line " + strconv.Itoa(line) + ", under a condition or by an expression")
		}
		res.Settings = append(res.Settings, Setting{Name: st.name, Raw: st.text(), Value: v,
			Range: lineRange(f, st.line, st.nameFrom, st.endCol), ValueRange: lineRange(f, st.line, st.valFrom, st.endCol)})
	}
	return res
}

// pyStmt is one logical line of Python.
type pyStmt struct {
	line     int
	indented bool
	// simple is set for `name = value` with one target.
	simple bool
	// truncated: the statement has more than maxStmtTokens tokens.
	truncated bool
	// targets are the names the statement may assign.
	targets         map[string]bool
	name            string
	value           []pyTok
	nameFrom        int
	valFrom, endCol int
	toks            []pyTok
	raw             string
}

func (s pyStmt) text() string { return s.raw }

// assigns reports whether the statement may assign name: as the target
// of =, +=, :=, or through globals()["name"] / setattr(m, "name", …).
func (s pyStmt) assigns(name string) bool { return s.targets[name] }

// maxStmtTokens is how many tokens of a statement are kept: a literal
// setting needs a handful; what may be assigned is recorded for all.
const maxStmtTokens = 256

// isAssignOp reports =, :=, and augmented assignments, not comparisons.
func isAssignOp(op string) bool {
	switch op {
	case "==", "<=", ">=", "!=":
		return false
	}
	return strings.HasSuffix(op, "=")
}

type pyKind int

const (
	pyName pyKind = iota
	pyNumber
	pyStr
	pyOp
)

type pyTok struct {
	kind pyKind
	text string
	line int
	col  int // 0-based byte offset in the line
}

// pyStatements tokenizes Python enough to split it into logical lines:
// comments, strings (with prefixes and triple quotes), brackets that
// continue a line, backslash continuations. A statement's first token
// tells whether it is indented.
func pyStatements(f *parsers.File) []pyStmt {
	data := f.Bytes()
	var out []pyStmt
	var cur []pyTok
	targets := map[string]bool{}
	truncated := false
	var prev pyTok
	add := func(t pyTok) {
		switch {
		case t.kind == pyOp && isAssignOp(t.text) && prev.kind == pyName:
			targets[prev.text] = true
		case t.kind == pyStr && len(t.text) < 64:
			targets[strings.Trim(t.text, "'\"")] = true
		}
		prev = t
		if len(cur) < maxStmtTokens {
			cur = append(cur, t)
		} else {
			truncated = true
		}
	}
	depth := 0
	line, lineStart := 1, 0
	indented := false
	atLineStart := true
	flush := func() {
		if len(cur) > 0 {
			st := makeStmt(f, cur, indented)
			st.targets = targets
			st.truncated = truncated
			out = append(out, st)
		}
		cur, targets, truncated, prev = nil, map[string]bool{}, false, pyTok{}
	}
	for i := 0; i < len(data); {
		c := data[i]
		switch {
		case c == '\n':
			if depth == 0 {
				flush()
				atLineStart = true
			}
			line++
			i++
			lineStart = i
			continue
		case c == '\\' && i+1 < len(data) && data[i+1] == '\n':
			line++
			i += 2
			lineStart = i
			continue
		case c == ' ' || c == '\t' || c == '\r' || c == '\f':
			i++
			continue
		case c == '#':
			for i < len(data) && data[i] != '\n' {
				i++
			}
			continue
		}
		if atLineStart {
			indented = i > lineStart
			atLineStart = false
		}
		start, startLine, col := i, line, i-lineStart
		switch {
		case isPyIdentStart(c) && !isStringPrefix(data, i):
			for i < len(data) && (isPyIdentStart(data[i]) || data[i] >= '0' && data[i] <= '9') {
				i++
			}
			add(pyTok{pyName, string(data[start:i]), startLine, col})
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(data) && data[i+1] >= '0' && data[i+1] <= '9':
			for i < len(data) && (isPyIdentStart(data[i]) || data[i] >= '0' && data[i] <= '9' || data[i] == '.' ||
				(data[i] == '+' || data[i] == '-') && (data[i-1] == 'e' || data[i-1] == 'E')) {
				i++
			}
			add(pyTok{pyNumber, string(data[start:i]), startLine, col})
		case c == '"' || c == '\'' || isStringPrefix(data, i):
			for data[i] != '"' && data[i] != '\'' {
				i++
			}
			q := data[i]
			triple := i+2 < len(data) && data[i+1] == q && data[i+2] == q
			if triple {
				i += 3
				for i < len(data) && !tripleQuote(data, i, q) {
					switch data[i] {
					case '\\':
						i++
					case '\n':
						line++
						lineStart = i + 1
					}
					i++
				}
				i += 3
			} else {
				i++
				for i < len(data) && data[i] != q && data[i] != '\n' {
					if data[i] == '\\' {
						i++
					}
					i++
				}
				i++
			}
			if i > len(data) {
				i = len(data)
			}
			add(pyTok{pyStr, string(data[start:i]), startLine, col})
		default:
			switch c {
			case '(', '[', '{':
				depth++
			case ')', ']', '}':
				if depth > 0 {
					depth--
				}
			}
			i++
			// Operators of two or three characters (==, +=, **=, //=).
			for i < len(data) && strings.IndexByte("=<>*/", data[i]) >= 0 && i-start < 3 && strings.IndexByte("=<>!+-*/%&|^@:", c) >= 0 {
				i++
			}
			if c == ';' && depth == 0 {
				flush()
				continue
			}
			add(pyTok{pyOp, string(data[start:i]), startLine, col})
		}
	}
	flush()
	return out
}

func isPyIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// isStringPrefix reports a string prefix (r, b, f, u, rb, …) right
// before a quote.
func isStringPrefix(data []byte, i int) bool {
	j := i
	for j < len(data) && j-i < 2 && strings.IndexByte("rRbBfFuU", data[j]) >= 0 {
		j++
	}
	return j > i && j < len(data) && (data[j] == '"' || data[j] == '\'')
}

func makeStmt(f *parsers.File, toks []pyTok, indented bool) pyStmt {
	st := pyStmt{line: toks[0].line, indented: indented, toks: toks}
	if len(toks) >= 3 && toks[0].kind == pyName && toks[1].kind == pyOp && toks[1].text == "=" {
		st.simple = true
		st.name = toks[0].text
		st.value = toks[2:]
		st.nameFrom = toks[0].col
		st.valFrom = toks[2].col
		last := toks[len(toks)-1]
		if last.line == st.line {
			st.endCol = last.col + len(last.text)
		} else {
			st.endCol = len(f.Line(st.line))
		}
		text := f.Line(st.line)
		if st.nameFrom <= st.endCol && st.endCol <= len(text) {
			st.raw = strings.TrimSpace(text[st.valFrom:st.endCol])
		}
		for _, t := range toks[2:] {
			if t.kind == pyOp && t.text == "=" {
				st.simple = false // a = b = 1
			}
		}
	}
	return st
}

// pyValue reads a literal value.
func pyValue(kind string, toks []pyTok) Value {
	if kind == "bind" && len(toks) >= 2 && toks[0].text == "[" && toks[len(toks)-1].text == "]" {
		var binds []string
		for i, t := range toks[1 : len(toks)-1] {
			if i%2 == 1 {
				if t.text != "," {
					return unknown("not a list of literal strings")
				}
				continue
			}
			s, ok := pyString(t)
			if !ok {
				return unknown("not a list of literal strings")
			}
			binds = append(binds, s)
		}
		return Value{Kind: String, Str: strings.Join(binds, " ")}
	}
	neg := false
	if len(toks) == 2 && toks[0].kind == pyOp && toks[0].text == "-" {
		neg, toks = true, toks[1:]
	}
	if len(toks) != 1 {
		return unknown("an expression, not a literal (hoplint runs no Python)")
	}
	t := toks[0]
	switch t.kind {
	case pyStr:
		s, ok := pyString(t)
		if !ok {
			return unknown("a string hoplint does not read (an f-string or escapes)")
		}
		if kind == "string" || kind == "bind" {
			return Value{Kind: String, Str: s}
		}
		return unknown("a string where gunicorn expects a number")
	case pyNumber:
		n, err := strconv.ParseFloat(strings.ReplaceAll(t.text, "_", ""), 64)
		if err != nil || math.IsInf(n, 0) || n > 1e15 {
			return unknown("not a number hoplint reads")
		}
		if neg {
			n = -n
		}
		switch kind {
		case "seconds":
			return Value{Kind: Duration, Duration: time.Duration(n * float64(time.Second)), Unlimited: n == 0}
		case "int":
			if n != math.Trunc(n) {
				return unknown("not a whole number")
			}
			return Value{Kind: Int, Int: int64(n)}
		}
		return unknown("a number where gunicorn expects a string")
	case pyName:
		switch t.text {
		case "True", "False":
			return Value{Kind: Bool, Bool: t.text == "True"}
		case "None":
			return unknown("None: gunicorn's default applies")
		}
		return unknown("`" + t.text + "` is a name, not a literal")
	}
	return unknown("not a literal")
}

// pyString reads a plain string literal ('…', "…", r'…', triple quotes);
// f-strings, byte strings and escapes are not read.
func pyString(t pyTok) (string, bool) {
	s := t.text
	raw := false
	for len(s) > 0 && s[0] != '"' && s[0] != '\'' {
		switch s[0] {
		case 'r', 'R':
			raw = true
		case 'u', 'U':
		default:
			return "", false
		}
		s = s[1:]
	}
	for _, q := range []string{`"""`, `'''`, `"`, `'`} {
		if len(s) >= 2*len(q) && strings.HasPrefix(s, q) && strings.HasSuffix(s, q) {
			inner := s[len(q) : len(s)-len(q)]
			if !raw && strings.Contains(inner, `\`) {
				return "", false
			}
			return inner, true
		}
	}
	return "", false
}

// tripleQuote reports three quotes q at data[i:].
func tripleQuote(data []byte, i int, q byte) bool {
	return i+2 < len(data) && data[i] == q && data[i+1] == q && data[i+2] == q
}
