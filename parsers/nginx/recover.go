package nginx

import (
	"bytes"
	"io"
	"strings"

	crossplane "github.com/nginxinc/nginx-go-crossplane"

	"github.com/hoplint/hoplint/parsers"
)

// maxRecoveries bounds how many broken lines one file may cost re-parses.
const maxRecoveries = 8

// luaBlocks are the *_by_lua_block directives whose bodies are Lua:
// crossplane's list (ngx_http_lua_module) plus ngx_stream_lua_module's
// preread phase, which it lacks.
var luaLexers = []crossplane.RegisterLexer{
	(&crossplane.Lua{}).RegisterLexer(),
	crossplane.LexWithLexer(&crossplane.Lua{}, "preread_by_lua_block"),
}

// parseRecovering parses f with crossplane and reports each error once.
// crossplane drops a whole file when its lexer stops (an unbalanced quote,
// a stray ";" or "}"); nginx would refuse the file at that line, and
// hoplint reports that one error, then blanks the line and parses again so
// that what follows it is still checked. Errors found only after blanking
// are consequences of the blanking and are not reported.
func parseRecovering(f *parsers.File, data []byte) (crossplane.Directives, []parsers.Problem, error) {
	data = blankLuaComments(data)
	var problems []parsers.Problem
	reported := map[int]bool{}
	blanked := map[int]bool{}
	for round := 0; ; round++ {
		opts := parseOptions(data)
		payload, err := parseSafely(f, opts)
		if err != nil {
			return nil, problems, err
		}
		if len(payload.Config) == 0 {
			return nil, problems, nil
		}
		c := payload.Config[0]
		last := 0
		for _, e := range c.Errors {
			line := 1
			if e.Line != nil {
				line = *e.Line
			}
			last = line
			if round == 0 && !reported[line] {
				reported[line] = true
				problems = append(problems, parsers.Problem{Kind: parsers.ProblemParse, Range: f.LineRange(line), Message: errorText(e.Error)})
			}
		}
		if len(c.Parsed) > 0 || len(c.Errors) == 0 {
			if len(c.Parsed) == 0 && hasStatements(data) {
				problems = append(problems, parsers.Problem{Kind: parsers.ProblemParse, Range: f.At(1, 1, 1, 1),
					Message: "hoplint's nginx parser read no directive from this file; nothing in it was checked"})
			}
			return c.Parsed, problems, nil
		}
		// The lexer gave up and crossplane kept nothing.
		unclosed := strings.Contains(errorText(c.Errors[len(c.Errors)-1].Error), `expecting "}"`)
		if round >= maxRecoveries || !unclosed && blanked[last] {
			if len(problems) > 0 {
				problems[len(problems)-1].Message += "; hoplint could not read the rest of this file, so nothing in it was checked"
			}
			return nil, problems, nil
		}
		if unclosed {
			data = append(append([]byte(nil), data...), "\n}"...)
			continue
		}
		blanked[last] = true
		data = blankLine(data, last)
	}
}

func parseOptions(data []byte) *crossplane.ParseOptions {
	return &crossplane.ParseOptions{
		SingleFile:                true,
		ParseComments:             true,
		SkipDirectiveContextCheck: true,
		StopParsingOnError:        false,
		// OpenResty's *_by_lua_block bodies are Lua: crossplane's Lua
		// lexer hands each body over as one argument instead of reading
		// its braces and semicolons as nginx syntax.
		LexOptions: crossplane.LexOptions{Lexers: luaLexers},
		Open: func(string) (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader(data)), nil
		},
	}
}

// blankLine replaces line n (1-based) with spaces, keeping every other
// byte where it was, so positions in the rest of the file do not move.
func blankLine(data []byte, n int) []byte {
	out := append([]byte(nil), data...)
	line := 1
	for i, b := range out {
		if b == '\n' {
			line++
			continue
		}
		if line == n && b != '\r' {
			out[i] = ' '
		}
		if line > n {
			break
		}
	}
	return out
}

// hasStatements reports whether data holds anything but blank lines and
// comments.
func hasStatements(data []byte) bool {
	for _, line := range bytes.Split(data, []byte("\n")) {
		t := bytes.TrimSpace(line)
		if len(t) > 0 && t[0] != '#' {
			return true
		}
	}
	return false
}

// blankLuaComments replaces the comments inside *_by_lua_block bodies with
// spaces. crossplane's Lua lexer counts braces in strings correctly but not
// in Lua comments ("-- close with }"), and would end the block there.
// Positions do not move: only comment bytes change, never line breaks.
func blankLuaComments(data []byte) []byte { return blankLua(data, false) }

// blankLuaCode blanks whole *_by_lua_block bodies, for scans that look for
// nginx-level text only (template placeholders): Lua's {CONST} is not one.
func blankLuaCode(data []byte) []byte { return blankLua(data, true) }

func blankLua(data []byte, all bool) []byte {
	var out []byte
	for i := 0; i < len(data); {
		k := bytes.Index(data[i:], []byte("_by_lua_block"))
		if k < 0 {
			break
		}
		j := i + k + len("_by_lua_block")
		for j < len(data) && (data[j] == ' ' || data[j] == '\t' || data[j] == '\r' || data[j] == '\n') {
			j++
		}
		if j >= len(data) || data[j] != '{' {
			i = j
			continue
		}
		if out == nil {
			out = append([]byte(nil), data...)
		}
		end := blankLuaBody(out, j+1)
		if all {
			for k := j + 1; k < end-1 && k < len(out); k++ {
				if out[k] != '\n' && out[k] != '\r' {
					out[k] = ' '
				}
			}
		}
		i = end
	}
	if out == nil {
		return data
	}
	return out
}

// blankLuaBody scans a Lua body from just after its "{" to the matching
// "}", blanking comments in b, and returns the offset after the body.
func blankLuaBody(b []byte, i int) int {
	depth := 1
	for i < len(b) {
		switch c := b[i]; {
		case c == '"' || c == '\'':
			i = skipLuaString(b, i)
			continue
		case c == '[' && longBracket(b, i) >= 0:
			i = skipLongBracket(b, i, longBracket(b, i), false)
			continue
		case c == '-' && i+1 < len(b) && b[i+1] == '-':
			if i+2 < len(b) && b[i+2] == '[' && longBracket(b, i+2) >= 0 {
				lvl := longBracket(b, i+2)
				b[i], b[i+1] = ' ', ' '
				i = skipLongBracket(b, i+2, lvl, true)
				continue
			}
			for ; i < len(b) && b[i] != '\n'; i++ {
				if b[i] != '\r' {
					b[i] = ' '
				}
			}
			continue
		case c == '{':
			depth++
		case c == '}':
			depth--
			if depth == 0 {
				return i + 1
			}
		}
		i++
	}
	return i
}

func skipLuaString(b []byte, i int) int {
	q := b[i]
	for i++; i < len(b) && b[i] != q && b[i] != '\n'; i++ {
		if b[i] == '\\' {
			i++
		}
	}
	return i + 1
}

// longBracket returns the level of a Lua long bracket "[==[" at i, or -1.
func longBracket(b []byte, i int) int {
	lvl := 0
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '=':
			lvl++
		case '[':
			return lvl
		default:
			return -1
		}
	}
	return -1
}

// skipLongBracket skips "[==[ … ]==]" from i; blank blanks it (a comment),
// keeping line breaks.
func skipLongBracket(b []byte, i, lvl int, blank bool) int {
	closing := "]" + strings.Repeat("=", lvl) + "]"
	end := bytes.Index(b[i:], []byte(closing))
	stop := len(b)
	if end >= 0 {
		stop = i + end + len(closing)
	}
	if blank {
		for k := i; k < stop; k++ {
			if b[k] != '\n' && b[k] != '\r' {
				b[k] = ' '
			}
		}
	}
	return stop
}
